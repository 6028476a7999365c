// Before each integration test file: its own database cloned from the run's template, and its
// own data directory (secrets), set in the environment before any app module is imported.
import { copyFileSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { afterAll, vi } from "vitest";
import { adminQuery, OUTPUT, PG_ADMIN_URL, withDatabase } from "./global-setup";

const template = process.env.KEYPORT_TEST_TEMPLATE!;
const dir = mkdtempSync(path.join(OUTPUT, "run-"));
process.env.KEYPORT_DATA_DIR = dir;
process.env.KEYPORT_PUBLIC_URL = "http://127.0.0.1:3999";

if (process.env.KEYPORT_TEST_DB === "postgres") {
  const name = `keyport_t_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  process.env.DATABASE_URL = withDatabase(PG_ADMIN_URL, name);
  afterAll(async () => {
    // Rate-limit windows X reported in the last test are written shortly after (lib/connections/quota.ts): before the drop.
    const { flushRateWindows } = await import("@/lib/connections/quota");
    await flushRateWindows();
    const { db } = await import("@/lib/db");
    await db.$disconnect();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
} else {
  const file = path.join(dir, "keyport.db");
  copyFileSync(template, file);
  process.env.DATABASE_URL = `file:${file}`;
}

// Server actions call revalidatePath, which needs a Next request context; outside one it is a
// no-op for our purposes.
vi.mock("next/cache", () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

// Who is signed in is decided by the test (tests/integration/helpers.ts → actAs); everything
// after the session lookup (role checks, workspace scoping, queries) is the real code.
type TestSession = { userId: string | null; workspaceCookie: string | null };
function testSession(): TestSession {
  return ((globalThis as { __keyportTestSession?: TestSession }).__keyportTestSession ??= { userId: null, workspaceCookie: null });
}

vi.mock("@/lib/auth", () => ({
  auth: async () => {
    const { userId } = testSession();
    return userId ? { user: { id: userId } } : null;
  },
  signIn: vi.fn(async () => undefined),
  signOut: vi.fn(async () => undefined),
}));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => {
      const value = testSession().workspaceCookie;
      return name === "keyport_workspace" && value ? { value } : undefined;
    },
    set: (_name: string, value: string) => void (testSession().workspaceCookie = value),
  }),
  headers: async () => new Headers(),
}));
