// The walkthrough's steps, in X's own words for the 2026 Developer Console (contract §8), with the
// older "Projects & Apps" portal described wherever it differs. Rendered on the server and handed
// to setup-guide.tsx (which lays them out and keeps the ticks), so none of this text is shipped as
// JavaScript.
import { AlertTriangle, ExternalLink } from "lucide-react";
import type { ReactNode } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import type { UrlCheck } from "@/lib/callback-url";
import { cn } from "@/lib/utils";
import type { GUIDE_STEPS } from "@/lib/validations/x-credentials";
import { DEFAULT_PRICES, formatUsd } from "@/lib/x/pricing";

export type StepId = (typeof GUIDE_STEPS)[number];
export type GuideStep = { id: StepId; title: string; body: ReactNode };

export const CONSOLE_URL = "https://console.x.com";
const LEGACY_PORTAL_URL = "https://developer.x.com/en/portal/dashboard";

type Input = { callbackUrl: string; publicUrl: string; urlChecks: UrlCheck[]; permission: string; needsDm: boolean };

export function guideSteps({ callbackUrl, publicUrl, urlChecks, permission, needsDm }: Input): GuideStep[] {
  return [
    {
      id: "project",
      title: "Create an app in the X Developer Console",
      body: (
        <>
          <p>
            Open the{" "}
            <a href={CONSOLE_URL} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 font-medium text-indigo-700 underline">
              X Developer Console (console.x.com)
              <ExternalLink className="size-3.5" aria-hidden />
              <span className="sr-only">(opens in a new tab)</span>
            </a>
            , sign in with the X account that should own the app, accept the Developer Agreement and click <strong>Create App</strong>. Give it a
            name, a description and the use case (for example &ldquo;connect our clients&apos; accounts to post on their behalf&rdquo;).
          </p>
          <p className="mt-2">
            <strong>Older developer accounts</strong> may still see the{" "}
            <a href={LEGACY_PORTAL_URL} target="_blank" rel="noopener noreferrer" className="font-medium text-indigo-700 underline">
              developer portal&apos;s Projects &amp; Apps<span className="sr-only"> (opens in a new tab)</span>
            </a>{" "}
            instead: choose your Project and <strong>Add App</strong> (or pick an app already in it). There an app outside a Project cannot call the
            API: X answers <code>client-not-enrolled</code>.
          </p>
        </>
      ),
    },
    {
      id: "credits",
      title: "Buy pay-per-use credits",
      body: (
        <>
          <p>
            X bills API use per call from prepaid credits, per app; there is no free tier. <strong>Without credits, no API call works</strong>, not
            even reading the profile of an account that just connected. Buy credits under <strong>Billing</strong> in the console (older
            accounts: the plan of the app&apos;s Project).
          </p>
          <p className="mt-2">What Keyport spends, at X&apos;s documented 2026 prices (the console shows the current ones):</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            <li>
              Connecting an account, and each <strong>Check now</strong>: one profile read (User: Read), {formatUsd(DEFAULT_PRICES["user-read"])}; the
              same account read again within 24 hours is not billed again.
            </li>
            <li>Renewing tokens (Keyport&apos;s background checks) and disconnecting: not listed as billed.</li>
            <li>
              Publishing a post: {formatUsd(DEFAULT_PRICES.post)}; a post with a link: {formatUsd(DEFAULT_PRICES["post-url"])}, about 13 times as much.
            </li>
          </ul>
        </>
      ),
    },
    {
      id: "user-auth",
      title: "Open User authentication settings",
      body: (
        <p>
          In the app&apos;s <strong>Settings</strong>, find <strong>User authentication settings</strong> and click <strong>Set up</strong> (or{" "}
          <strong>Edit</strong>). This turns on OAuth 2.0 for the app. Both the console and the older portal call it that.
        </p>
      ),
    },
    {
      id: "permissions",
      title: `App permissions: ${permission}`,
      body: (
        <p data-testid="permission-advice">
          Under <strong>App permissions</strong> choose <strong>{permission}</strong>
          {needsDm
            ? ": this workspace also asks for direct-message scopes (see the scopes below)."
            : ". That is all Keyport asks for: reading the profile, posting and staying connected."}{" "}
          With <em>Read</em> only, posting fails with 403 even after connecting. Changing this later means every account must reconnect to get
          the new rights.
        </p>
      ),
    },
    {
      id: "app-type",
      title: "Type of App: Web App, Automated App or Bot",
      body: (
        <>
          <p>
            Under <strong>Type of App</strong> choose <strong>Web App, Automated App or Bot</strong>. That makes a confidential client, which has
            a Client Secret.
          </p>
          <p className="mt-2 flex gap-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-amber-900" role="note">
            <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>
              <strong>Native App</strong> and <strong>Single page App</strong> will not work: they are public clients without a secret.
            </span>
          </p>
        </>
      ),
    },
    {
      id: "callback",
      title: "Add the Callback URI / Redirect URL",
      body: (
        <>
          <p>
            Under <strong>App info</strong>, add this exact URL to <strong>Callback URI / Redirect URL</strong>. An app holds up to 10 callback
            URLs: add this one beside any you already use (another Keyport, a staging site) rather than replacing them. X compares it character
            by character: scheme, host, port, path, no trailing slash.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="min-w-0 rounded bg-slate-100 px-2 py-1 text-sm break-all" data-testid="callback-url">
              {callbackUrl}
            </code>
            <CopyButton value={callbackUrl} label="Copy callback URL" />
          </div>
          {urlChecks.length > 0 ? (
            <ul className="mt-2 space-y-1" aria-label="Problems with the public URL">
              {urlChecks.map((check) => (
                <li
                  key={check.id}
                  data-testid={`url-check-${check.id}`}
                  className={cn("rounded-md border p-2", check.level === "error" ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900")}
                >
                  {check.message}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-2 text-xs break-words text-slate-600">
              Built from KEYPORT_PUBLIC_URL ({publicUrl}). If people reach Keyport at another address, change that setting first.
            </p>
          )}
        </>
      ),
    },
    {
      id: "website",
      title: "Website URL",
      body: (
        <p>
          X requires a <strong>Website URL</strong> in the same form: your agency&apos;s site is fine (it is shown to people on X&apos;s consent
          page); Keyport does not use it. Then click <strong>Save</strong> at the bottom of the settings.
        </p>
      ),
    },
    {
      id: "keys",
      title: "Copy the OAuth 2.0 Client ID and Client Secret",
      body: (
        <>
          <p>
            X now shows the <strong>OAuth 2.0 Client ID and Client Secret</strong> (later: the app&apos;s <strong>Keys and tokens</strong>). X
            shows the secret only once, so paste both into the credentials form right away. The <em>API Key and Secret</em> (OAuth 1.0a) and the{" "}
            <em>Bearer Token</em> are different keys and will not work.
          </p>
          <p className="mt-2" data-testid="regenerate-advice">
            <strong>Lost the secret, or think it leaked?</strong> In <strong>Keys and tokens</strong>, next to the OAuth 2.0 Client Secret, click{" "}
            <strong>Regenerate</strong>. The old secret stops working at once: Keyport can no longer renew tokens of accounts connected through
            this app, and X may also end those accounts&apos; access. Paste the new secret here straight away with <strong>Replace credentials</strong>;
            accounts that need it will show <strong>Reconnect</strong> on their brand&apos;s page.
          </p>
        </>
      ),
    },
  ];
}

export function Troubleshooting() {
  const rows: [string, React.ReactNode][] = [
    [
      "Test credentials says invalid_client or unauthorized_client",
      "The Client ID or Secret is wrong, or the secret was regenerated in the portal. Copy both again from the app's Keys and tokens → OAuth 2.0 Client ID and Client Secret (regenerate the secret if you no longer have it) and save them here.",
    ],
    [
      "X shows “Something went wrong … You weren’t able to give access to the App” and never comes back",
      "X refused the request before asking: the callback URL above is not on the app's list exactly as shown, or User authentication settings (OAuth 2.0) were never saved. Fix it in the portal, then press Back and try connecting again.",
    ],
    [
      "Connected, but posting or reading fails with 403",
      "The account granted fewer scopes than Keyport needs, or the app's permissions are Read only. Set App permissions as step 4 says, then reconnect the account.",
    ],
    [
      "client-not-enrolled",
      "The app is not attached to a Project (or your plan lacks the endpoint). In the older portal, move the app into a Project; in the Developer Console, check the app has credits.",
    ],
  ];
  return (
    <section aria-labelledby="troubleshooting-heading" className="text-sm">
      <h3 id="troubleshooting-heading" className="font-semibold">
        Troubleshooting
      </h3>
      <dl className="mt-2 space-y-3">
        {rows.map(([seen, fix]) => (
          <div key={seen}>
            <dt className="font-medium text-slate-900">{seen}</dt>
            <dd className="text-slate-600">{fix}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
