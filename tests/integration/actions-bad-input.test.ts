// Every exported server action, found by reading lib/actions (a new action is covered without
// editing this file), called by a signed-in OWNER with inputs of the wrong shape — what anyone can
// POST to an action id. Each must answer { ok: false } with a field error or a refusal, never
// throw (a throw is a 500), and change nothing in the database.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { signOut } from "@/lib/auth";
import { createBrand } from "@/lib/data/brands";
import { db } from "@/lib/db";
import { actAs, makeWorkspace } from "./helpers";

const ACTIONS_DIR = path.resolve("lib/actions");
const VALIDATIONS_DIR = path.resolve("lib/validations");

type Action = (...args: unknown[]) => Promise<unknown>;

/**
 * Actions that do not answer with an ActionResult, each handled on purpose. signOutAction is a
 * form action (it gets the form's FormData) that ends in a redirect: whatever it is sent, it signs
 * out to /login and returns nothing.
 */
const NOT_ACTION_RESULTS: Record<string, (action: Action, args: unknown[]) => Promise<void>> = {
  signOutAction: async (action, args) => {
    const calls = (signOut as unknown as { mock: { calls: unknown[][] } }).mock.calls;
    const before = calls.length;
    await expect(action(...args)).resolves.toBeUndefined();
    expect(calls.length).toBe(before + 1);
    expect(calls.at(-1)).toEqual([{ redirectTo: "/login" }]);
  },
  // Sign-in, setup and invite forms post natively (they work before scripts load), so their
  // actions take (previous state, FormData) and answer the form's state: a refusal is a non-empty
  // `error` for the form to show, never a throw and never a success.
  signInAction: refusedAsFormState,
  setupAction: refusedAsFormState,
  acceptInviteAction: refusedAsFormState,
  joinInviteAction: refusedAsFormState,
};

async function refusedAsFormState(action: Action, args: unknown[]): Promise<void> {
  const result = (await action(...args)) as { error?: unknown } | null;
  expect(typeof result?.error === "string" && result.error.length > 0, JSON.stringify(result)).toBe(true);
  expect(JSON.parse(JSON.stringify(result))).toEqual(result);
}

/** Every field name any schema knows, so "nested object" puts an object where each field is expected. */
async function fieldNames(): Promise<string[]> {
  const names = new Set<string>();
  for (const file of readdirSync(VALIDATIONS_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
    const mod = (await import(path.join(VALIDATIONS_DIR, file))) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      const shape = (value as { shape?: unknown })?.shape;
      if (shape && typeof shape === "object") for (const key of Object.keys(shape)) names.add(key);
    }
  }
  return [...names];
}

async function serverActions(): Promise<{ name: string; file: string; action: Action }[]> {
  const found: { name: string; file: string; action: Action }[] = [];
  for (const file of readdirSync(ACTIONS_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
    const source = readFileSync(path.join(ACTIONS_DIR, file), "utf8");
    if (!/^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(source)) continue;
    const mod = (await import(path.join(ACTIONS_DIR, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      // A "use server" file may export only async functions (anything else breaks `next build`).
      expect(typeof value, `${file} exports ${name}, which is not a function`).toBe("function");
      expect((value as Action).constructor.name, `${file}: ${name} is not async`).toBe("AsyncFunction");
      found.push({ name, file, action: value as Action });
    }
  }
  return found;
}

async function tableCounts() {
  const models = ["user", "workspace", "membership", "invite", "brand", "xCredential", "connectedAccount", "connectAttempt", "connectLink", "auditEvent", "xGuideProgress", "rateLimit"] as const;
  const counts: Record<string, number> = {};
  for (const m of models) counts[m] = await (db[m] as unknown as { count: () => Promise<number> }).count();
  return counts;
}

let actions: Awaited<ReturnType<typeof serverActions>>;
let shapes: [string, unknown[]][];

beforeAll(async () => {
  const { users, workspace } = await makeWorkspace("Bad Input Agency", [{ email: "owner@bad-input.test", role: "OWNER" }]);
  await createBrand(workspace.id, "Some Brand");
  actAs(users["owner@bad-input.test"]!);
  actions = await serverActions();
  const nested = Object.fromEntries((await fieldNames()).map((k) => [k, { $ne: null, nested: { deeper: [1, { x: "y" }] } }]));
  const form = new FormData();
  for (const k of Object.keys(nested)) form.append(k, "[object Object]");
  shapes = [
    ["undefined (no body)", []],
    ["a number", [123]],
    ["null", [null]],
    ["an empty array", [[]]],
    ["an array of junk", [[1, "two", { three: 3 }, null]]],
    ["a string", ["just a string"]],
    ["a nested object in every field", [nested]],
    ["numbers in every field", [Object.fromEntries(Object.keys(nested).map((k) => [k, 123]))]],
    ["arrays in every field", [Object.fromEntries(Object.keys(nested).map((k) => [k, ["a", "b"]]))]],
    ["FormData", [form]],
    ["two arguments", [null, { extra: true }]],
  ];
});

describe("every server action refuses inputs of the wrong shape", () => {
  it("finds the actions (and the special cases still exist)", () => {
    const names = actions.map((a) => a.name);
    expect(names.length).toBeGreaterThanOrEqual(20);
    for (const special of Object.keys(NOT_ACTION_RESULTS)) expect(names).toContain(special);
    expect(names).toContain("testXCredentialsAction");
  });

  it("answers { ok: false } with a field error or a refusal, never throws, and writes nothing", async () => {
    const before = await tableCounts();
    const problems: string[] = [];
    for (const { name, file, action } of actions) {
      for (const [shape, args] of shapes) {
        const where = `${file} ${name}(${shape})`;
        if (NOT_ACTION_RESULTS[name]) {
          await NOT_ACTION_RESULTS[name](action, args).catch((e: unknown) => problems.push(`${where}: ${String(e)}`));
          continue;
        }
        let result: unknown;
        try {
          result = await action(...args);
        } catch (error) {
          problems.push(`${where} threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
          continue;
        }
        const r = result as { ok?: unknown; error?: unknown; fieldErrors?: Record<string, unknown> };
        // A FormData has no properties an object schema can read: to an action whose fields are all
        // optional it is an empty object, which it may accept; then it must answer exactly that.
        if (args[0] instanceof FormData && r?.ok === true) {
          const empty = await action({});
          if ((empty as { ok?: unknown }).ok === true && JSON.stringify(empty) === JSON.stringify(result)) continue;
        }
        if (r?.ok !== false || typeof r.error !== "string" || r.error.length === 0) {
          problems.push(`${where} answered ${JSON.stringify(result)}`);
          continue;
        }
        if (r.fieldErrors !== undefined) {
          const messages = Object.values(r.fieldErrors);
          if (messages.length === 0 || messages.some((m) => typeof m !== "string" || !m)) problems.push(`${where}: empty field errors ${JSON.stringify(r.fieldErrors)}`);
        }
        // A plain, serialisable answer (it crosses to the browser as-is).
        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      }
    }
    expect(problems).toEqual([]);
    expect(await tableCounts()).toEqual(before);
  });

  it("names the field for the shapes the review found (testXCredentialsAction with a number, null, an array)", async () => {
    const { testXCredentialsAction } = await import("@/lib/actions/x-credentials");
    const number = await testXCredentialsAction({ clientId: 123 } as never);
    expect(number).toMatchObject({ ok: false, fieldErrors: { clientId: expect.any(String) } });
    for (const input of [null, [], ["a"]]) {
      expect(await testXCredentialsAction(input as never)).toMatchObject({ ok: false, fieldErrors: { form: expect.any(String) } });
    }
  });
});
