// One connected X account: who it is, its state and why, which app issued its tokens, what X
// granted and what it didn't, when its token expires; reconnect and disconnect.
import type { AccountSummary } from "@/lib/data/accounts";
import { SCOPE_BREAKS, type KeyportScope } from "@/lib/x/scopes";
import { cn } from "@/lib/utils";
import { ConnectBlocked, ConnectForm, type Blocked } from "./connect-controls";
import { CheckAccountButton } from "@/components/connections/check-buttons";
import { DisconnectButton } from "./disconnect-button";
import { expiry, formatWhen } from "@/lib/format";

const STATUS = {
  ACTIVE: { label: "Active", className: "bg-emerald-50 text-emerald-800 border-emerald-200" },
  DEGRADED: { label: "X failing", className: "bg-orange-50 text-orange-900 border-orange-300" },
  NEEDS_RECONNECT: { label: "Needs reconnect", className: "bg-amber-50 text-amber-900 border-amber-300" },
  DISCONNECTED: { label: "Disconnected", className: "bg-slate-100 text-slate-700 border-slate-300" },
} as const;

export function AccountCard({ account, brandId, canDisconnect, blocked = null }: { account: AccountSummary; brandId: string; canDisconnect: boolean; blocked?: Blocked | null }) {
  const status = STATUS[account.status];
  const headingId = `account-${account.id}`;
  return (
    <article aria-labelledby={headingId} className="rounded-md border border-slate-200 p-4" data-testid="account-card">
      <div className="flex flex-wrap items-start gap-3">
        {account.avatarUrl ? (
          // Remote avatars from X; next/image would need every X image host configured.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={account.avatarUrl} alt="" width={48} height={48} className="size-12 rounded-full bg-slate-100" referrerPolicy="no-referrer" />
        ) : (
          <span aria-hidden className="flex size-12 items-center justify-center rounded-full bg-slate-200 text-lg font-semibold text-slate-600">
            {account.name.slice(0, 1).toUpperCase()}
          </span>
        )}
        <div className="min-w-0 flex-1">
          <h3 id={headingId} className="font-semibold break-words">
            {account.name} <span className="font-normal text-slate-600">@{account.username}</span>
          </h3>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm">
            <span className={cn("rounded-full border px-2 py-0.5 text-xs font-medium", status.className)}>
              {status.label}
              {account.reason ? `: ${account.reason.label}` : ""}
            </span>
            {account.status === "NEEDS_RECONNECT" || account.status === "DEGRADED" ? (
              <span className="text-slate-600">
                since <time dateTime={account.statusSince.toISOString()}>{formatWhen(account.statusSince)}</time>
              </span>
            ) : null}
          </p>
          {account.reason ? <p className="mt-1 text-sm text-amber-900">{account.reason.fix}</p> : null}
        </div>
        <div className="flex w-full flex-wrap gap-2 sm:w-auto">
          {blocked ? (
            <ConnectBlocked blocked={blocked} size="sm" aria-label={`Reconnect @${account.username}`}>
              Reconnect
            </ConnectBlocked>
          ) : (
            <ConnectForm brandId={brandId} size="sm" variant={account.status === "NEEDS_RECONNECT" ? "primary" : "secondary"} aria-label={`Reconnect @${account.username}`}>
              Reconnect
            </ConnectForm>
          )}
          {account.status === "ACTIVE" ? <CheckAccountButton accountId={account.id} username={account.username} /> : null}
          {canDisconnect && account.status !== "DISCONNECTED" ? <DisconnectButton accountId={account.id} username={account.username} /> : null}
        </div>
      </div>

      <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-600">Connected</dt>
          <dd>
            by {account.connectedBy} on <time dateTime={account.connectedAt.toISOString()}>{formatWhen(account.connectedAt)}</time>
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">X app</dt>
          <dd>
            {account.app.source === "removed" ? (
              "An X app that has since been removed"
            ) : (
              <>
                {account.app.source === "brand" ? "Brand override" : account.app.source === "instance" ? "Instance app (set by the operator)" : "Workspace default"} (Client ID{" "}
                <code className="font-mono">{account.app.clientIdPreview}…</code>)
                {account.app.current ? null : <span className="text-amber-900"> — credentials replaced since</span>}
                {account.app.current && account.app.rejected ? <span className="text-red-800"> — rejected by X</span> : null}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-slate-600">Granted permissions</dt>
          <dd className="break-words">{account.grantedScopes.length ? account.grantedScopes.join(", ") : "none recorded"}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Missing permissions</dt>
          <dd>
            {account.missingScopes.length === 0 ? (
              "None"
            ) : (
              <ul className="text-amber-900">
                {account.missingScopes.map((s) => (
                  <li key={s}>
                    <code className="font-mono">{s}</code> — no {SCOPE_BREAKS[s as KeyportScope] ?? "feature"}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        {account.status !== "DISCONNECTED" ? (
          <div>
            <dt className="text-slate-600">Access token</dt>
            <dd>
              {/* A dead grant has nothing to renew: its expiry would read as if all were well. */}
              {account.status === "NEEDS_RECONNECT" ? (
                "Not usable until the account is reconnected"
              ) : account.accessTokenExpiresAt ? (
                <TokenExpiry at={account.accessTokenExpiresAt} canRefresh={account.canRefresh} />
              ) : (
                "No token stored"
              )}
            </dd>
          </div>
        ) : null}
      </dl>
    </article>
  );
}

function TokenExpiry({ at, canRefresh }: { at: Date; canRefresh: boolean }) {
  const { expired, text } = expiry(at);
  return (
    <>
      {expired ? "Expired " : "Expires "}
      <time dateTime={at.toISOString()} title={formatWhen(at)}>
        {text}
      </time>
      {canRefresh ? " · renewed when next used" : " · no refresh token (offline.access missing): reconnect when it expires"}
    </>
  );
}
