// One Keyport process in a token storm (tests/integration/token-storm.test.ts, bench/storm.ts):
// it signals that it is ready, waits for the go file, then makes CALLS concurrent
// getValidAccessToken calls spread round-robin over the given accounts, and reports what every
// caller got — counts by outcome, anything thrown, and per account the fingerprints of the tokens
// handed out (never the tokens). Run with `node --conditions=react-server --import tsx`;
// configuration (database, X hosts, keys) comes from the environment.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { getValidAccessToken } from "@/lib/connections/tokens";
import { db } from "@/lib/db";

const [specFile, readyFile, goFile] = process.argv.slice(2) as [string, string, string];
const spec = JSON.parse(readFileSync(specFile, "utf8")) as { workspaceId: string; accountIds: string[]; calls: number };

// Open the pool before the start so both processes begin on equal terms.
await db.connectedAccount.count({ where: { workspaceId: spec.workspaceId } });
writeFileSync(readyFile, "");
while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 5));

const outcomes: Record<string, number> = {};
const tokens: Record<string, string[]> = {};
const failures: string[] = [];
let thrown = 0;
const started = performance.now();
const latencies: number[] = [];
await Promise.all(
  Array.from({ length: spec.calls }, async (_, i) => {
    const accountId = spec.accountIds[i % spec.accountIds.length]!;
    const t0 = performance.now();
    try {
      const result = await getValidAccessToken(spec.workspaceId, accountId);
      const key = result.ok ? "ok" : result.reason;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (!result.ok && failures.length < 5) failures.push(`${result.reason} ${result.transient ?? ""} ${result.xError ?? ""}`.trim());
      if (result.ok) {
        const fingerprint = createHash("sha256").update(result.accessToken).digest("hex").slice(0, 16);
        const seen = (tokens[accountId] ??= []);
        if (!seen.includes(fingerprint)) seen.push(fingerprint);
      }
    } catch {
      thrown++;
    }
    latencies.push(performance.now() - t0);
  }),
);
const wallMs = performance.now() - started;
latencies.sort((a, b) => a - b);
await db.$disconnect();
process.stdout.write(JSON.stringify({ outcomes, failures, thrown, tokens, wallMs, p50: latencies[Math.floor(latencies.length / 2)], max: latencies.at(-1) }));
