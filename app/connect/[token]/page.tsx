// The hosted connect link a client opens: it names the agency and the brand and offers one
// button. No Keyport account is needed; the attempt it starts is bound to this link.
import type { Metadata } from "next";
import { ConnectSubmitButton } from "@/components/accounts/connect-controls";
import { OutcomeBox } from "@/components/accounts/outcome-box";
import { Card } from "@/components/ui/card";
import { formatWhen } from "@/lib/format";
import { describeOutcome, describeStartError, parseDetail } from "@/lib/connections/outcomes";
import { linkAttemptOutcome, lookupConnectLink } from "@/lib/data/connect-links";
import { linkTokenSchema } from "@/lib/validations/connect";

export const metadata: Metadata = { title: "Connect your X account", referrer: "no-referrer", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

const GONE = {
  used: { title: "This link has already been used", body: "Each connect link works once, and this one has already connected an X account." },
  expired: { title: "This link has expired", body: "Connect links are only valid for a limited time." },
  revoked: { title: "This link was withdrawn", body: "The agency withdrew this connect link." },
  unknown: { title: "This link isn't valid", body: "Check that you opened the whole link you were sent." },
} as const;

type Props = { params: Promise<{ token: string }>; searchParams: Promise<{ attempt?: string | string[]; error?: string | string[] }> };

export default async function ConnectLinkPage({ params, searchParams }: Props) {
  const { token } = await params;
  const query = await searchParams;
  const link = linkTokenSchema.safeParse(token).success ? await lookupConnectLink(token) : ({ status: "unknown" } as const);
  const attemptId = typeof query.attempt === "string" ? query.attempt : null;
  const attempt = attemptId && link.status !== "unknown" ? await linkAttemptOutcome(link, attemptId) : null;
  const outcome = attempt ? describeOutcome(attempt.outcome, parseDetail(attempt.outcomeDetail)) : null;
  const startError = typeof query.error === "string" ? describeStartError(query.error) : null;

  return (
    <main className="mx-auto flex min-h-[80vh] max-w-md flex-col justify-center px-4 py-12">
      <p className="mb-6 text-center text-2xl font-bold tracking-tight text-indigo-700">Keyport</p>
      <Card className="space-y-4">
        {link.status !== "unknown" ? (
          <h1 className="text-xl font-semibold">
            {link.reconnectUsername ? `Reconnect @${link.reconnectUsername} to ${link.brandName}` : `Connect your X account to ${link.brandName}`}
          </h1>
        ) : (
          <h1 className="text-xl font-semibold">{GONE.unknown.title}</h1>
        )}
        {outcome ? (
          <OutcomeBox notice={clientFacing(outcome)} />
        ) : startError ? (
          <OutcomeBox notice={{ ...startError, fix: query.error === "rate-limited" ? startError.fix : "Let the agency know; they need to finish setting up their X app in Keyport.", actions: [] }} />
        ) : null}
        {link.status === "unknown" ? (
          <p className="text-sm text-slate-600">{GONE.unknown.body} If it still doesn&apos;t work, ask the person who sent it for a new one.</p>
        ) : link.status === "active" ? (
          <>
            <p className="text-sm text-slate-600">
              <strong>{link.workspaceName}</strong> manages <strong>{link.brandName}</strong> with Keyport and asks you to{" "}
              {link.reconnectUsername ? (
                <>
                  reconnect <strong>@{link.reconnectUsername}</strong>: sign in to X as that account
                </>
              ) : (
                "connect the brand's X account"
              )}
              . You&apos;ll
              go to X, sign in there if needed, and choose <em>Authorize app</em>. You don&apos;t need a Keyport account, and Keyport never sees your X password.
            </p>
            <form method="post" action="/api/integrations/twitter/connect-link">
              <input type="hidden" name="token" value={token} />
              <ConnectSubmitButton className="w-full">Connect X account</ConnectSubmitButton>
            </form>
            <p className="text-xs text-slate-500">This link works once and expires {formatWhen(link.expiresAt)}.</p>
          </>
        ) : outcome && attempt?.outcome && ["connected", "missing-scopes"].includes(attempt.outcome) ? (
          <p className="text-sm text-slate-600">You can close this page. {link.workspaceName} can now manage the account for {link.brandName}.</p>
        ) : (
          <>
            <h2 className="font-semibold">{GONE[link.status].title}</h2>
            <p className="text-sm text-slate-600">
              {GONE[link.status].body} Ask {link.workspaceName} for a new link if you still need to connect.
            </p>
          </>
        )}
      </Card>
    </main>
  );
}

/** The client can't act on the agency's app settings: drop the setup-guide action, keep the facts. */
function clientFacing(notice: ReturnType<typeof describeOutcome>) {
  const agencyProblem = notice.actions.includes("guide");
  return {
    ...notice,
    fix: agencyProblem ? "This needs fixing on the agency's side: let them know, then try again." : notice.fix,
    actions: [],
  };
}
