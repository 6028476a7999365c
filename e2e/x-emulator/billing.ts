// Pay-per-use billing, contract §8: each app's successful billable calls are counted and priced,
// so a test can assert what a sweep or a post cost. Money is integer micro-dollars throughout;
// the USD number is derived for reading only. Reads are billed per resource returned, once per
// app and resource within 24 hours of the emulator clock; writes per request. The OAuth endpoints
// and failed (non-2xx) calls are never billed.
import { ValidationError } from "./apps";
import type { AppCosts, BillingCategory, CategoryCosts, CostReport, CostTotals, Money, PriceInput, Prices, PricesPatch } from "./types";

export const DEDUP_WINDOW_MS = 24 * 3600 * 1000;

const CATEGORIES = {
  userRead: { label: "User: Read", per: "resource", microUsd: 10_000 },
  contentCreate: { label: "Content: Create", per: "request", microUsd: 15_000 },
  contentCreateWithUrl: { label: "Content: Create with a URL", per: "request", microUsd: 200_000 },
} as const satisfies Record<BillingCategory, { label: string; per: "resource" | "request"; microUsd: number }>;

export const BILLING_CATEGORIES = Object.keys(CATEGORIES) as BillingCategory[];

type Counter = { calls: number; billedUnits: number; microUsd: number };

export class Billing {
  private prices: Record<BillingCategory, number>;
  private readonly counters = new Map<string, Record<BillingCategory, Counter>>();
  /** `${clientId} ${resource}` → when that resource was last billed to that app. */
  private readonly lastBilled = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly basePrices: PricesPatch = {},
  ) {
    this.prices = applyPrices(defaultPrices(), basePrices);
  }

  /** Back to the start-up prices, with no counters. */
  reset() {
    this.prices = applyPrices(defaultPrices(), this.basePrices);
    this.clearCounters();
  }

  /** Forgets every count, cost and de-duplication memory; prices stay. */
  clearCounters() {
    this.counters.clear();
    this.lastBilled.clear();
  }

  priceList(): Prices {
    return Object.fromEntries(
      BILLING_CATEGORIES.map((c) => [c, { label: CATEGORIES[c].label, per: CATEGORIES[c].per, ...money(this.prices[c]) }]),
    ) as Prices;
  }

  /** Validates a partial price list and applies it to later calls (earlier costs keep their price). */
  setPrices(patch: PricesPatch): Prices {
    this.prices = applyPrices(this.prices, patch);
    return this.priceList();
  }

  /**
   * Counts one successful call. `resources` are the read resources returned (ids, one unit each,
   * de-duplicated per app for 24 hours); a write passes none and is one unit.
   */
  record(clientId: string, category: BillingCategory, resources?: string[]): { category: BillingCategory; billedUnits: number; cost: Money } {
    const now = this.now();
    let units = 1;
    if (resources) {
      units = 0;
      for (const resource of new Set(resources)) {
        const key = `${clientId} ${resource}`;
        const last = this.lastBilled.get(key);
        if (last !== undefined && now - last < DEDUP_WINDOW_MS) continue;
        this.lastBilled.set(key, now);
        units++;
      }
    }
    const microUsd = units * this.prices[category];
    const counter = this.countersOf(clientId)[category];
    counter.calls++;
    counter.billedUnits += units;
    counter.microUsd += microUsd;
    return { category, billedUnits: units, cost: money(microUsd) };
  }

  /** Per app (the given ones first, then any deleted app that still has costs) and in total. */
  report(apps: { clientId: string; name: string }[], onlyClientId?: string): CostReport {
    const names = new Map(apps.map((a) => [a.clientId, a.name]));
    const ids = [...new Set([...names.keys(), ...this.counters.keys()])].filter((id) => !onlyClientId || id === onlyClientId);
    if (onlyClientId && ids.length === 0) throw new ValidationError(`no app with client id ${onlyClientId}`);
    const appCosts = ids.map((clientId) => appReport(clientId, names.get(clientId) ?? null, this.counters.get(clientId)));
    return { apps: appCosts, total: sum(appCosts) };
  }

  private countersOf(clientId: string) {
    let counters = this.counters.get(clientId);
    if (!counters) {
      counters = emptyCounters();
      this.counters.set(clientId, counters);
    }
    return counters;
  }
}

export function money(microUsd: number): Money {
  return { microUsd, usd: microUsd / 1_000_000 };
}

function defaultPrices(): Record<BillingCategory, number> {
  return Object.fromEntries(BILLING_CATEGORIES.map((c) => [c, CATEGORIES[c].microUsd])) as Record<BillingCategory, number>;
}

function applyPrices(base: Record<BillingCategory, number>, patch: PricesPatch): Record<BillingCategory, number> {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) throw new ValidationError("prices must be an object");
  const next = { ...base };
  for (const [key, input] of Object.entries(patch)) {
    if (!(key in CATEGORIES)) throw new ValidationError(`unknown price ${key}; known: ${BILLING_CATEGORIES.join(", ")}`);
    next[key as BillingCategory] = toMicroUsd(key, input);
  }
  return next;
}

function toMicroUsd(key: string, input: PriceInput | undefined): number {
  const value = input as Record<string, unknown> | undefined;
  const fields = value && typeof value === "object" ? Object.keys(value) : [];
  if (fields.length !== 1 || (fields[0] !== "microUsd" && fields[0] !== "usd")) {
    throw new ValidationError(`price ${key} must be {"microUsd": integer} or {"usd": number}`);
  }
  const amount = value![fields[0]];
  if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0) throw new ValidationError(`price ${key} must be a non-negative number`);
  if (fields[0] === "microUsd") {
    if (!Number.isSafeInteger(amount)) throw new ValidationError(`price ${key}.microUsd must be an integer`);
    return amount;
  }
  // 0.015 * 1e6 is 15000.000000000002 in floating point: accept what rounds to whole micro-dollars.
  const micro = Math.round(amount * 1_000_000);
  if (!Number.isSafeInteger(micro) || Math.abs(micro - amount * 1_000_000) > 1e-6 * Math.max(1, micro)) {
    throw new ValidationError(`price ${key}.usd must have at most six decimals`);
  }
  return micro;
}

function emptyCounters(): Record<BillingCategory, Counter> {
  return Object.fromEntries(BILLING_CATEGORIES.map((c) => [c, { calls: 0, billedUnits: 0, microUsd: 0 }])) as Record<BillingCategory, Counter>;
}

function appReport(clientId: string, name: string | null, counters = emptyCounters()): AppCosts {
  const categories = Object.fromEntries(
    BILLING_CATEGORIES.map((c): [BillingCategory, CategoryCosts] => {
      const { calls, billedUnits, microUsd } = counters[c];
      return [c, { label: CATEGORIES[c].label, calls, billedUnits, cost: money(microUsd) }];
    }),
  ) as Record<BillingCategory, CategoryCosts>;
  return { clientId, name, ...sum(Object.values(categories)), categories };
}

function sum(parts: CostTotals[]): CostTotals {
  let calls = 0;
  let billedUnits = 0;
  let microUsd = 0;
  for (const part of parts) {
    calls += part.calls;
    billedUnits += part.billedUnits;
    microUsd += part.cost.microUsd;
  }
  return { calls, billedUnits, cost: money(microUsd) };
}
