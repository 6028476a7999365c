// What is left of an X app's rate limits and what its calls cost (issue 9 §4), on /settings/x (the
// workspace default app) and a brand page (the brand's own app). Same figures as GET /api/v1/apps/usage.
import { Card } from "@/components/ui/card";
import { appOfScope, appUsageFigures, type AppUsageFigures, type CostFigures, type WindowFigures } from "@/lib/data/app-usage";
import { env } from "@/lib/env";
import { formatUsd } from "@/lib/x/pricing";
import { LocalTime } from "./local-time";

/** The users/me window's entry in `endpoints` (lib/data/app-usage.ts): it limits checks, not posts. */
const PROFILE_READS = "GET /2/users/me";

/** brandId: the brand's override app (nothing shown when the brand uses the default); null: the workspace default. */
export async function QuotaPanel({ workspaceId, brandId = null }: { workspaceId: string; brandId?: string | null }) {
  const app = await appOfScope(workspaceId, brandId);
  if (!app) return null;
  const usage = (await appUsageFigures(workspaceId, [app.id])).get(app.id)!;
  return <QuotaPanelView clientIdPreview={app.clientIdPreview} usage={usage} warnPercent={env.KEYPORT_QUOTA_WARN_PERCENT} />;
}

export function QuotaPanelView({ clientIdPreview, usage, warnPercent }: { clientIdPreview: string; usage: AppUsageFigures; warnPercent: number }) {
  const headingId = `quota-${clientIdPreview}`;
  return (
    <Card className="space-y-5" role="region" aria-labelledby={headingId}>
      <div>
        <h2 id={headingId} className="text-lg font-semibold">
          Quota and cost of app {clientIdPreview}…
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          From the rate-limit headers of X&apos;s last answers to Keyport{usage.observedAt ? <> (<LocalTime iso={usage.observedAt.toISOString()} />)</> : null}. Times are in
          your time zone.
        </p>
      </div>
      {usage.warning ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {warningText(usage, warnPercent)}
        </p>
      ) : null}
      <section aria-label="Posts left">
        <h3 className="text-sm font-semibold">Posts left in 24 hours (whole app)</h3>
        {usage.posts24h ? <WindowLine w={usage.posts24h} unit="posts" /> : <p className="text-sm text-slate-600">Not known yet: X reports it with the first post.</p>}
      </section>
      {usage.endpoints.length ? (
        <section aria-label="Endpoint windows">
          <h3 className="text-sm font-semibold">Per endpoint</h3>
          <ul className="mt-1 space-y-1 text-sm">
            {usage.endpoints.map((e) => (
              <li key={e.endpoint}>
                <code>{e.endpoint}</code> ({e.windowLabel}
                {e.account ? `, lowest: @${e.account.username}` : ""}): <WindowLine w={e.window} unit="requests" inline />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {usage.accounts.length ? (
        <section aria-label="Accounts">
          <h3 className="text-sm font-semibold">Per account (24-hour post limit at this app)</h3>
          <ul className="mt-1 space-y-1 text-sm">
            {usage.accounts.map((a) => (
              <li key={a.id}>
                @{a.username}: {a.posts24h ? <WindowLine w={a.posts24h} unit="posts" inline /> : "not known yet"}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-label="Cost">
        <h3 className="text-sm font-semibold">Cost at X&apos;s prices</h3>
        <table className="mt-1 text-sm">
          <thead>
            <tr className="text-left text-slate-600">
              <th className="pr-6 font-medium" scope="col">
                Period
              </th>
              <th className="pr-6 font-medium" scope="col">
                Posts published
              </th>
              <th className="pr-6 font-medium" scope="col">
                Keyport&apos;s own calls
              </th>
              <th className="font-medium" scope="col">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            <CostRow label="This month" c={usage.cost.thisMonth} />
            <CostRow label="Last 30 days" c={usage.cost.last30Days} />
          </tbody>
        </table>
        <p className="mt-1 text-xs text-slate-500">A post with a link costs about 13 times a plain post (X&apos;s “Content: Create with a URL”).</p>
      </section>
    </Card>
  );
}

function WindowLine({ w, unit, inline = false }: { w: WindowFigures; unit: string; inline?: boolean }) {
  const Tag = inline ? "span" : "p";
  return (
    <Tag className={w.warning ? "font-medium text-amber-800" : undefined}>
      {w.remaining.toLocaleString("en")} of {w.limit.toLocaleString("en")} {unit} left{w.limited ? " (X answered 429)" : ""}, resets <LocalTime iso={w.resetAt.toISOString()} />
    </Tag>
  );
}

function CostRow({ label, c }: { label: string; c: CostFigures }) {
  return (
    <tr>
      <th scope="row" className="pr-6 text-left font-normal">
        {label}
      </th>
      <td className="pr-6">
        {formatUsd(c.postsMicroUsd)} ({c.posts} post{c.posts === 1 ? "" : "s"}
        {c.urlPosts ? `, ${c.urlPosts} with a link` : ""})
      </td>
      <td className="pr-6">
        {formatUsd(c.ownMicroUsd)} ({c.ownCalls} call{c.ownCalls === 1 ? "" : "s"})
      </td>
      <td>{formatUsd(c.totalMicroUsd)}</td>
    </tr>
  );
}

function warningText(usage: AppUsageFigures, warnPercent: number) {
  const posting = usage.endpoints.filter((e) => e.endpoint !== PROFILE_READS);
  const limited = usage.posts24h?.limited || posting.some((e) => e.window.limited) || usage.accounts.some((a) => a.posts24h?.limited || a.postsWindow?.limited);
  if (limited) return "X refused a request with 429 (rate limit reached). Posts through this app wait until the reset time shown below.";
  const low = usage.posts24h?.warning || posting.some((e) => e.window.warning) || usage.accounts.some((a) => a.posts24h?.warning || a.postsWindow?.warning);
  if (low) return `Less than ${warnPercent} % of an X rate limit is left for this app. Posts beyond it are refused until the reset time shown below.`;
  // Only an account's profile-read window: posting is not affected.
  return "X is limiting profile reads (GET /2/users/me) for an account of this app. Checks of that account wait until the reset time shown below; posting is not affected.";
}
