// The brand page's warning when some of its X accounts need attention: how many, why, and where
// the fix is (reconnect below, the app's credentials, or nothing when X is failing on its side).
import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import type { BrandAttention } from "@/lib/data/attention";

/** Reasons fixed in the X app's credentials (then a reconnect), not by reconnecting alone. */
const CREDENTIAL_REASONS = new Set(["app-credentials"]);

export function AttentionBanner({ attention, appSettingsHref }: { attention: BrandAttention; appSettingsHref: string }) {
  if (attention.count === 0) return null;
  const reconnect = attention.reasons.filter((r) => r.status === "NEEDS_RECONNECT").reduce((n, r) => n + r.count, 0);
  const credentials = attention.reasons.some((r) => CREDENTIAL_REASONS.has(r.code));
  const heading =
    attention.count === attention.of
      ? `${attention.count === 1 ? "This brand's X account needs" : `All ${attention.count} of this brand's X accounts need`} attention`
      : `${attention.count} of this brand's ${attention.of} X accounts ${attention.count === 1 ? "needs" : "need"} attention`;
  return (
    <section aria-labelledby="attention-heading" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950" data-testid="attention-banner">
      <h2 id="attention-heading" className="flex items-center gap-2 text-base font-semibold">
        <TriangleAlert className="size-5 shrink-0 text-amber-600" aria-hidden />
        {heading}
      </h2>
      <ul className="mt-2 space-y-1">
        {attention.reasons.map((r) => (
          <li key={`${r.status}:${r.code}`}>
            <span className="font-medium">
              {r.count} · {r.label}
              {r.status === "DEGRADED" ? " (degraded)" : ""}
            </span>{" "}
            — {r.fix}
          </li>
        ))}
      </ul>
      <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1">
        {credentials ? (
          <Link href={appSettingsHref} className="font-medium text-indigo-800 underline">
            Fix the X app&apos;s credentials
          </Link>
        ) : null}
        {reconnect > 0 ? (
          <a href="#accounts-heading" className="font-medium text-indigo-800 underline">
            Reconnect {reconnect === 1 ? "it" : "them"} below
          </a>
        ) : null}
        <Link href="/admin/connections" className="font-medium text-indigo-800 underline">
          Everything that needs attention
        </Link>
      </p>
    </section>
  );
}
