// The brand page's "X accounts" section: connected accounts, connect, hosted connect links.
import { Suspense } from "react";
import { CheckBrandAccountsButton } from "@/components/connections/check-buttons";
import { describeOutcome, parseDetail, SETUP_GUIDE_PATH } from "@/lib/connections/outcomes";
import { listBrandAccounts, recentConnectOutcomes } from "@/lib/data/accounts";
import { listConnectLinks } from "@/lib/data/connect-links";
import { effectiveCredential, INSTANCE_APP_LABEL } from "@/lib/data/x-credentials";
import { requireUser, roleAtLeast } from "@/lib/session";
import { AccountCard } from "./account-card";
import { ConnectBlocked, ConnectForm, type Blocked } from "./connect-controls";
import { ConnectLinks } from "./connect-links";
import { ConnectNotice } from "./connect-notice";

export async function BrandAccounts({ brandId }: { brandId: string }) {
  const user = await requireUser();
  const [accounts, links, outcomes, effective] = await Promise.all([
    listBrandAccounts(user.workspaceId, brandId),
    listConnectLinks(user.workspaceId, brandId),
    recentConnectOutcomes(user.workspaceId, brandId, user.id),
    effectiveCredential(user.workspaceId, brandId),
  ]);
  const canDisconnect = roleAtLeast(user.role, "ADMIN");
  const current = accounts.filter((a) => a.status !== "DISCONNECTED");
  const past = accounts.filter((a) => a.status === "DISCONNECTED");
  const notices = outcomes.map((o) => ({ attemptId: o.attemptId, notice: describeOutcome(o.outcome, parseDetail(o.detail)) }));
  const blocked = connectBlocked(effective, roleAtLeast(user.role, "ADMIN"), brandId);

  return (
    <section aria-labelledby="accounts-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="accounts-heading" className="text-lg font-semibold">
          X accounts
        </h2>
        <div className="flex flex-wrap gap-2">
          {/* Always shown, so people learn it exists; with nothing to check it says why. */}
          <CheckBrandAccountsButton
            brandId={brandId}
            disabledReason={current.some((a) => a.status === "ACTIVE") ? undefined : current.length ? "No active account to check" : "No accounts to check yet"}
          />
          {blocked ? (
            <ConnectBlocked blocked={blocked} size="sm">
              Connect X account
            </ConnectBlocked>
          ) : (
            <ConnectForm brandId={brandId} size="sm">
              Connect X account
            </ConnectForm>
          )}
        </div>
      </div>
      {blocked ? (
        <p id={blocked.id} className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="connect-blocked">
          {blocked.why}{" "}
          {blocked.href ? (
            <a href={blocked.href} className="font-medium underline">
              {blocked.action}
            </a>
          ) : null}
        </p>
      ) : null}
      <Suspense fallback={null}>
        <ConnectNotice notices={notices} brandId={brandId} guideHref={SETUP_GUIDE_PATH} />
      </Suspense>
      {effective.credential ? (
        <p className="text-sm text-slate-600">
          New connections go through{" "}
          {effective.source === "brand" ? "this brand's own X app" : effective.source === "instance" ? `the ${INSTANCE_APP_LABEL.replace(/^Instance/, "instance")}` : "the workspace's default X app"} (Client ID{" "}
          <code className="font-mono">{effective.credential.clientIdPreview}…</code>).
        </p>
      ) : (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          No X app is set up yet, so accounts can&apos;t be connected.{" "}
          <a href={SETUP_GUIDE_PATH} className="font-medium underline">
            Set up the X app
          </a>
          .
        </p>
      )}

      {current.length === 0 ? (
        <p className="text-sm text-slate-600">No X accounts are connected to this brand yet. Connect one yourself, or send the client a connect link below.</p>
      ) : (
        <ul className="space-y-3" aria-label="Connected X accounts">
          {current.map((account) => (
            <li key={account.id}>
              <AccountCard account={account} brandId={brandId} canDisconnect={canDisconnect} blocked={blocked} />
            </li>
          ))}
        </ul>
      )}

      {past.length > 0 ? (
        <details className="rounded-md border border-slate-200 px-4 py-2 text-sm">
          <summary className="cursor-pointer font-medium">Disconnected accounts ({past.length})</summary>
          <ul className="mt-3 space-y-3" aria-label="Disconnected X accounts">
            {past.map((account) => (
              <li key={account.id}>
                <AccountCard account={account} brandId={brandId} canDisconnect={false} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}

      <ConnectLinks brandId={brandId} links={links.map((l) => ({ ...l, createdAt: l.createdAt.toISOString(), expiresAt: l.expiresAt.toISOString(), usedAt: l.usedAt?.toISOString() ?? null, revokedAt: l.revokedAt?.toISOString() ?? null }))} />
    </section>
  );
}

/** Why connecting waits, while X rejects the app that would be used: the fix, not a trip to X's consent page that can only fail. */
function connectBlocked(effective: Awaited<ReturnType<typeof effectiveCredential>>, canManage: boolean, brandId: string): Blocked | null {
  const rejected = effective.credential?.rejected;
  if (!rejected) return null;
  const id = `connect-blocked-${brandId}`;
  if (effective.source === "instance") {
    return {
      id,
      why: "Connecting waits: X rejects the instance app's credentials (set by the operator), so X's consent page would only end in a failure.",
      action: "Save your own X app",
      href: canManage ? "/settings/x#replace-credentials" : null,
    };
  }
  return {
    id,
    why: `Connecting waits: X rejects ${effective.source === "brand" ? "this brand's own X app" : "the workspace default X app"}'s credentials, so X's consent page would only end in a failure. ${canManage ? "Replace them first." : "An owner or admin must replace them first."}`,
    action: "Replace credentials",
    href: canManage ? (effective.source === "brand" ? "#brand-app-form" : "/settings/x#replace-credentials") : null,
  };
}
