// What Keyport's own calls to X cost per app: the last 30 days as counted, and the month the
// sweep's schedule is expected to cost (weekly billed profile reads; token refreshes are not
// billed). On /settings/x and /admin/connections; the page reads the rows (lib/data/usage.ts).
// What posts cost is shown with each app's quota (QuotaPanel), not repeated here.
import "server-only";
import { Card } from "@/components/ui/card";
import { priceTable } from "@/lib/connections/usage";
import type { AppCostRow } from "@/lib/data/usage";
import { env } from "@/lib/env";
import { formatUsd } from "@/lib/x/pricing";

export function CostPanel({ rows }: { rows: AppCostRow[] }) {
  if (rows.length === 0) return null;
  const profile = env.KEYPORT_SWEEP_PROFILE_DAYS;
  return (
    <Card className="space-y-4" data-testid="cost-panel">
      <div>
        <h2 className="text-lg font-semibold">What Keyport&apos;s own calls to X cost</h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          X bills your app per call. Keyport checks every connection daily with a token refresh, which X does not bill, and reads each
          profile {profile > 0 ? `every ${profile} days` : "never on its own (turned off)"}, a User: Read at {formatUsd(priceTable()["user-read"])}. What posts
          cost is shown with each app&apos;s quota.
        </p>
      </div>
      {/* On a phone the table scrolls inside its own region (focusable, so keyboards can scroll it too). */}
      <div className="-mx-1 overflow-x-auto px-1" role="region" aria-label="Cost per app" tabIndex={0}>
      <table className="w-full min-w-[36rem] text-left text-sm">
        <thead className="text-slate-600">
          <tr>
            <th className="py-1 pr-4 font-medium">App</th>
            <th className="py-1 pr-4 font-medium">Accounts</th>
            <th className="py-1 pr-4 font-medium">Own calls, 30 days</th>
            <th className="py-1 pr-4 font-medium">Billed</th>
            <th className="py-1 pr-4 font-medium">Cost, 30 days</th>
            <th className="py-1 font-medium">Expected per month</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.credentialId} className="border-t border-slate-100" data-testid="cost-row">
              <td className="py-1 pr-4">
                <code>{r.clientIdPreview}</code>… <span className="text-slate-500">{r.scopeLabel}</span>
              </td>
              <td className="py-1 pr-4">{r.accounts}</td>
              <td className="py-1 pr-4">{r.ownCalls}</td>
              <td className="py-1 pr-4">{r.ownBilled}</td>
              <td className="py-1 pr-4">{formatUsd(r.ownCostMicros)}</td>
              <td className="py-1">{formatUsd(r.expectedMonthlyMicros)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </Card>
  );
}
