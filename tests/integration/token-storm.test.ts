// The refresh lock under a storm (issue 8 §1): 1,000 concurrent getValidAccessToken calls over 100
// accounts whose tokens are due, from two separate Node processes on one database. Exactly one
// refresh per grant reaches X, every caller gets the account's one new token (none "busy", none
// throws), and nothing is marked. Runs on SQLite and PostgreSQL (KEYPORT_TEST_DB).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { openColumn, SEALED } from "@/lib/crypto/app-ring";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { agency, CALLBACK, emulatorForThisFile, newApp } from "./connect-helpers";
import { OUTPUT } from "./global-setup";
import { seedGrants } from "./support/seed-grants";

const run = promisify(execFile);
const ctx = emulatorForThisFile();

const ACCOUNTS = 100;
const CALLS_PER_PROCESS = 500;

type Report = { outcomes: Record<string, number>; failures: string[]; thrown: number; tokens: Record<string, string[]>; wallMs: number; p50: number; max: number };

function child(dir: string, n: number) {
  return run(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "tests/integration/support/storm-load.ts", path.join(dir, "spec.json"), path.join(dir, `ready${n}`), path.join(dir, "go")],
    {
      env: {
        ...process.env,
        NODE_ENV: "test",
        AUTH_SECRET: env.AUTH_SECRET,
        KEYPORT_ENCRYPTION_KEYS: env.KEYPORT_ENCRYPTION_KEYS,
        X_API_BASE_URL: ctx.emu.apiBaseUrl,
        X_AUTHORIZE_URL: ctx.emu.authorizeUrl,
      },
      maxBuffer: 10 * 1024 * 1024,
    },
  ).then(({ stdout }) => JSON.parse(stdout) as Report);
}

it(`${CALLS_PER_PROCESS * 2} concurrent calls over ${ACCOUNTS} due accounts from two processes: one refresh per grant, a working token for every caller`, { timeout: 120_000 }, async () => {
  const app = await newApp(ctx.emu);
  const a = await agency(app);
  const credential = await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId }, select: { id: true, version: true } });
  const accountIds = await seedGrants({
    control: ctx.emu.control,
    apiBaseUrl: ctx.emu.apiBaseUrl,
    app,
    redirectUri: CALLBACK,
    workspaceId: a.workspaceId,
    brandId: a.brandId,
    credential,
    count: ACCOUNTS,
  });
  const before = new Map((await db.connectedAccount.findMany({ where: { workspaceId: a.workspaceId }, select: { id: true, tokenVersion: true } })).map((r) => [r.id, r.tokenVersion]));
  await ctx.emu.control.clearRequests();

  const dir = mkdtempSync(path.join(OUTPUT, "storm-"));
  writeFileSync(path.join(dir, "spec.json"), JSON.stringify({ workspaceId: a.workspaceId, accountIds, calls: CALLS_PER_PROCESS }));
  const reports = [child(dir, 1), child(dir, 2)];
  // Both processes start the storm at the same moment, once both are up.
  const deadline = Date.now() + 60_000;
  while (!(existsSync(path.join(dir, "ready1")) && existsSync(path.join(dir, "ready2"))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  writeFileSync(path.join(dir, "go"), "");
  const [first, second] = await Promise.all(reports);

  // Every caller got a token: none busy, none transient, none thrown.
  for (const report of [first!, second!]) {
    expect(report.thrown).toBe(0);
    expect(report.outcomes, report.failures.join(" | ")).toEqual({ ok: CALLS_PER_PROCESS });
  }
  // Exactly one refresh per grant reached X.
  const refreshes = (await ctx.emu.control.requests({ path: "/2/oauth2/token" })).filter((r) => r.grantType === "refresh_token");
  expect(refreshes).toHaveLength(ACCOUNTS);
  expect(refreshes.every((r) => r.status === 200)).toBe(true);

  const rows = await db.connectedAccount.findMany({ where: { workspaceId: a.workspaceId } });
  for (const row of rows) {
    // One new token pair per account, and it is the one every caller in both processes got.
    expect(row.tokenVersion).toBe(before.get(row.id)! + 1);
    const stored = createHash("sha256").update(openColumn(SEALED.accessToken, row.id, row.accessTokenSealed!)).digest("hex").slice(0, 16);
    expect([...new Set([...(first!.tokens[row.id] ?? []), ...(second!.tokens[row.id] ?? [])])]).toEqual([stored]);
  }
  // Nothing marked, nothing counted as a failure.
  expect(rows.map((r) => r.status)).toEqual(rows.map(() => "ACTIVE"));
  expect(rows.every((r) => r.failureCount === 0 && r.failingSince === null)).toBe(true);
  expect(await db.connectionEvent.count({ where: { workspaceId: a.workspaceId } })).toBe(0);
  // The tokens work at X.
  for (let i = 0; i < rows.length; i += 20) {
    const statuses = await Promise.all(
      rows.slice(i, i + 20).map(async (row) => {
        const me = await fetch(`${ctx.emu.apiBaseUrl}/2/users/me`, { headers: { authorization: `Bearer ${openColumn(SEALED.accessToken, row.id, row.accessTokenSealed!)}` } });
        return me.status;
      }),
    );
    expect(statuses).toEqual(statuses.map(() => 200));
  }
  console.log(`[storm ${env.databaseKind}] wall ${Math.round(Math.max(first!.wallMs, second!.wallMs))} ms; p50 ${Math.round(first!.p50)}/${Math.round(second!.p50)} ms; slowest caller ${Math.round(Math.max(first!.max, second!.max))} ms`);
});
