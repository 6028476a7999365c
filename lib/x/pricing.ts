// What X charges for the calls Keyport makes (contract §8: pay-per-use credits, billed to the app's
// owner). Prices are configurable because X changes them; the defaults are X's documented 2026
// prices. Money is kept in integer micro-dollars so sums never drift.
export type UsageKind = "user-read" | "post" | "post-url" | "token" | "revoke";

export type PriceTable = Record<UsageKind, number>;

/** Micro-dollars per billed unit. The OAuth endpoints are not listed as billed (contract §8). */
export const DEFAULT_PRICES: PriceTable = {
  "user-read": 10_000, // User: Read, $0.010 per resource
  post: 15_000, // Content: Create, $0.015
  "post-url": 200_000, // Content: Create with a URL, $0.200
  token: 0,
  revoke: 0,
};

/** Calls Keyport makes on its own (health checks, profile reads) as opposed to posts people asked for. */
export const OWN_CALL_KINDS: readonly UsageKind[] = ["user-read", "token", "revoke"];
export const POST_KINDS: readonly UsageKind[] = ["post", "post-url"];

/** "$1.23" from micro-dollars; amounts under a cent keep three decimals ("$0.015"). */
export function formatUsd(micros: number): string {
  const dollars = micros / 1_000_000;
  const digits = micros !== 0 && Math.abs(micros) < 10_000 ? 3 : 2;
  return `$${dollars.toFixed(Math.max(digits, micros % 10_000 === 0 ? 2 : 3))}`;
}

/** USD text from the environment ("0.015") → micro-dollars. */
export function parseUsd(text: string): number {
  if (!/^\d+(\.\d{1,6})?$/.test(text.trim())) throw new Error(`not a USD amount: ${text}`);
  const [whole, fraction = ""] = text.trim().split(".");
  return Number(whole) * 1_000_000 + Number(fraction.padEnd(6, "0"));
}
