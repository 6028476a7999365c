// sandboxTest(): Playwright's `test` with "the X emulator + a fresh Keyport pointed at it" as
// fixtures. Call it once at the top of a spec file and use it instead of @playwright/test's:
//
//   const test = sandboxTest({ users: ["ada_sandbox"] });
//   test.beforeAll(async ({ emu, keyport }) => { app = await emu.control.createApp({ name: "Agency app", callbackUrls: [callbackOf(keyport.url)] }); });
//   test("…", async ({ page, emu, keyport }) => { await completeSetup(page, keyport.url); … });
//
//   emu      the emulator (x-emulator/index.ts): emu.control creates apps, injects faults, …
//   keyport  a real Keyport (`next start` on the production build) on its own port, data directory
//            and empty database, with X_AUTHORIZE_URL / X_API_BASE_URL on the emulator. It is
//            also the baseURL, so page.goto("/brands") works.
// Options: `users` — the X users the emulator knows: usernames from x-emulator/seed.json or full
// user objects (default: all of the seed's); `env` — more environment for Keyport; `database:
// "postgres"` — a throwaway PostgreSQL database (dropped afterwards; the file's tests are skipped
// when PostgreSQL is not reachable) with fixed secrets in keyport.env, so a second instance can
// share it: launchKeyport({ databaseUrl: keyport.databaseUrl, env: keyport.env }).
// Both fixtures are worker-scoped (usable in beforeAll) and each sandboxTest() call makes its own,
// so Playwright gives every spec file its own worker: a file's tests share one Keyport, the next
// file starts from an empty one, and both servers stop when the file is done.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { test as base } from "@playwright/test";
import pg from "pg";
import { loadSeed, startXEmulator, type XEmulator } from "../x-emulator/index";
import type { Seed } from "../x-emulator/types";
import { launchKeyport, type Keyport } from "./keyport";

export type SandboxUser = Seed["users"][number];

export type SandboxOptions = {
  users?: (string | SandboxUser)[];
  env?: Record<string, string>;
  database?: "sqlite" | "postgres";
};

export type SandboxFixtures = { emu: XEmulator; keyport: Keyport };

const PG_ADMIN_URL = process.env.KEYPORT_TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

export function sandboxTest(options: SandboxOptions = {}) {
  const users = sandboxUsers(options.users);
  const test = base.extend<object, SandboxFixtures>({
    baseURL: async ({ keyport }, provide) => provide(keyport.url),
    emu: [
      async ({}, provide) => {
        const emu = await startXEmulator({ seed: { apps: [], users } });
        await provide(emu);
        await emu.close();
      },
      { scope: "worker" },
    ],
    keyport: [
      async ({ emu }, provide) => {
        const env = { X_AUTHORIZE_URL: emu.authorizeUrl, X_API_BASE_URL: emu.apiBaseUrl, ...options.env };
        if (options.database !== "postgres") {
          const keyport = await launchKeyport({ env });
          await provide(keyport);
          await keyport.stop();
          return;
        }
        const database = `keyport_e2e_${process.pid}_${Date.now().toString(36)}`;
        const reachable = await adminQuery(`CREATE DATABASE ${database}`).then(() => true, () => false);
        test.skip(!reachable, `PostgreSQL is not reachable at ${new URL(PG_ADMIN_URL).host}`);
        const databaseUrl = withDatabase(PG_ADMIN_URL, database);
        let keyport: Keyport | undefined;
        try {
          execFileSync(process.execPath, ["scripts/migrate.mjs"], { stdio: "pipe", env: { ...process.env, DATABASE_URL: databaseUrl } });
          const secrets = { AUTH_SECRET: randomBytes(32).toString("base64url"), KEYPORT_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}` };
          keyport = await launchKeyport({ databaseUrl, env: { ...secrets, ...env } });
          await provide(keyport);
        } finally {
          await keyport?.stop();
          await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
        }
      },
      { scope: "worker" },
    ],
  });
  return test;
}

function sandboxUsers(wanted: SandboxOptions["users"]): SandboxUser[] {
  const known = loadSeed().users;
  if (!wanted) return known;
  return wanted.map((user) => {
    if (typeof user !== "string") return user;
    const found = known.find((u) => u.username === user);
    if (!found) throw new Error(`sandboxTest: no X user @${user} in e2e/x-emulator/seed.json (known: ${known.map((u) => u.username).join(", ")})`);
    return found;
  });
}

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
