"use client";
// The walkthrough of X's developer portal, in the portal's own words. Ticked steps are kept per
// workspace; the whole guide folds away once credentials are saved and tested.
import { AlertTriangle, CheckCircle2, Circle } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { CopyButton } from "@/components/ui/copy-button";
import { setGuideStepAction } from "@/lib/actions/x-credentials";
import type { UrlCheck } from "@/lib/callback-url";
import { cn } from "@/lib/utils";
import type { GUIDE_STEPS } from "@/lib/validations/x-credentials";

type StepId = (typeof GUIDE_STEPS)[number];

type Props = {
  callbackUrl: string;
  publicUrl: string;
  urlChecks: UrlCheck[];
  scopes: { scope: string; purpose: string }[];
  stepsDone: string[];
  collapsed: boolean;
  canManage: boolean;
};

export function SetupGuide({ callbackUrl, publicUrl, urlChecks, scopes, stepsDone, collapsed, canManage }: Props) {
  const [done, setDone] = useState(() => new Set(stepsDone));
  const [saving, start] = useTransition();
  const [touched, setTouched] = useState(false);
  const scopeList = scopes.map((s) => s.scope).join(" ");

  function toggle(step: StepId, value: boolean) {
    const previous = new Set(done);
    const next = new Set(done);
    if (value) next.add(step);
    else next.delete(step);
    setDone(next);
    setTouched(true);
    start(async () => {
      const result = await setGuideStepAction({ step, done: value });
      if (!result.ok) {
        setDone(previous);
        toast.error(result.error);
      }
    });
  }

  const steps: { id: StepId; title: string; body: React.ReactNode }[] = [
    {
      id: "project",
      title: "Create or pick an app inside a Project",
      body: (
        <p>
          In the X Developer Portal open <strong>Projects &amp; Apps</strong>, choose your Project and <strong>Add App</strong> (or pick an existing
          app there). An app outside a Project cannot call the API: X answers <code>client-not-enrolled</code>.
        </p>
      ),
    },
    {
      id: "user-auth",
      title: "Open User authentication settings",
      body: (
        <p>
          In the app&apos;s <strong>Settings</strong>, find <strong>User authentication settings</strong> and click <strong>Set up</strong> (or{" "}
          <strong>Edit</strong>). This turns on OAuth 2.0 for the app.
        </p>
      ),
    },
    {
      id: "permissions",
      title: "App permissions: Read and write",
      body: (
        <p>
          Under <strong>App permissions</strong> choose <strong>Read and write</strong>, or <strong>Read and write and Direct message</strong> if you
          want to handle DMs. With <em>Read</em> only, posting fails with 403 even after connecting. Changing this later means every account must
          reconnect.
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
      title: "Callback URI / Redirect URL",
      body: (
        <>
          <p>
            Under <strong>App info</strong>, paste this exact URL into <strong>Callback URI / Redirect URL</strong>. X compares it character by
            character: scheme, host, port, path, no trailing slash.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="rounded bg-slate-100 px-2 py-1 text-sm break-all" data-testid="callback-url">
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
            <p className="mt-2 text-xs text-slate-500">
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
          X requires a <strong>Website URL</strong>: your agency&apos;s site is fine; Keyport does not use it. Then click <strong>Save</strong> at the
          bottom of the settings.
        </p>
      ),
    },
    {
      id: "keys",
      title: "Copy the OAuth 2.0 Client ID and Client Secret",
      body: (
        <p>
          X now shows the <strong>OAuth 2.0 Client ID and Client Secret</strong> (later: <strong>Keys and tokens</strong> tab). X shows the secret
          only once, so paste both into the form below right away. The <em>API Key and Secret</em> (OAuth 1.0a) are different keys and will not
          work.
        </p>
      ),
    },
  ];

  const completed = steps.filter((s) => done.has(s.id)).length;

  return (
    <details open={!collapsed} className="group rounded-lg border border-slate-200 bg-white shadow-sm" id="guide">
      <summary className="cursor-pointer list-none rounded-lg p-6 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600">
        <span className="flex flex-wrap items-baseline justify-between gap-2">
          <span className="text-lg font-semibold">Set up your X app in the Developer Portal</span>
          <span className="text-sm text-slate-600">
            {completed} of {steps.length} steps ticked
            <span aria-live="polite" className="ml-1">
              {saving ? "(saving…)" : touched ? "(progress saved)" : ""}
            </span>{" "}
            · <span className="group-open:hidden">Show guide</span>
            <span className="hidden group-open:inline">Hide guide</span>
          </span>
        </span>
      </summary>
      <div className="space-y-6 px-6 pb-6">
        <ol className="space-y-4">
          {steps.map((step, index) => {
            const isDone = done.has(step.id);
            return (
              <li key={step.id} className="flex gap-3" data-testid={`guide-step-${step.id}`}>
                <span className="mt-0.5 text-indigo-700" aria-hidden>
                  {isDone ? <CheckCircle2 className="size-5" /> : <Circle className="size-5" />}
                </span>
                <div className="flex-1 text-sm text-slate-700">
                  <h3 className="font-semibold text-slate-900">
                    {index + 1}. {step.title}
                  </h3>
                  <div className="mt-1">{step.body}</div>
                  {canManage ? (
                    <label className="mt-2 inline-flex items-center gap-2 text-slate-600">
                      <input
                        type="checkbox"
                        checked={isDone}
                        onChange={(e) => toggle(step.id, e.target.checked)}
                        className="size-4"
                        aria-label={`Done: ${step.title}`}
                      />
                      Done
                    </label>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ol>

        <section aria-labelledby="scopes-heading" className="rounded-md bg-slate-50 p-4 text-sm">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 id="scopes-heading" className="font-semibold">
              Scopes Keyport asks for
            </h3>
            <CopyButton value={scopeList} label="Copy scopes" />
          </div>
          <p className="mt-1 text-slate-600">
            Keyport requests these when someone connects; X only grants what the app&apos;s permissions allow. Nothing to enter in the portal.
          </p>
          <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]">
            {scopes.map((s) => (
              <div key={s.scope} className="contents">
                <dt>
                  <code>{s.scope}</code>
                </dt>
                <dd className="text-slate-600">{s.purpose}</dd>
              </div>
            ))}
          </dl>
        </section>

        <Troubleshooting />
      </div>
    </details>
  );
}

function Troubleshooting() {
  const rows: [string, React.ReactNode][] = [
    [
      "Test credentials says invalid_client or unauthorized_client",
      "The Client ID or Secret is wrong, or the secret was regenerated in the portal. Copy both again from Keys and tokens → OAuth 2.0 Client ID and Client Secret (regenerate the secret if you no longer have it) and save them here.",
    ],
    [
      "X shows “Something went wrong … You weren’t able to give access to the App” and never comes back",
      "X refused the request before asking: the callback URL above is not on the app's list exactly as shown, or User authentication settings (OAuth 2.0) were never saved. Fix it in the portal, then press Back and try connecting again.",
    ],
    [
      "Connected, but posting or reading fails with 403",
      "The account granted fewer scopes than Keyport needs, or the app's permissions are Read only. Set App permissions to Read and write, then reconnect the account.",
    ],
    [
      "client-not-enrolled",
      "The app is not attached to a Project (or your plan lacks the endpoint). Move the app into a Project in the portal.",
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
