// Key rotation while another Keyport process keeps refreshing tokens and editing rows (issue 10
// §2): no grant may be lost, no "last changed" time may move back, and the command may only say
// the old keys can go once every value opens under the new key alone.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { parseKeyRing } from "@/lib/crypto/keyring";
import { seal, sealedKeyId } from "@/lib/crypto/seal";
import { resealAll, rotateKeys, verifyRing } from "@/lib/data/key-rotation";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { agency, connectOnce, emulatorForThisFile, newApp } from "./connect-helpers";
import { OUTPUT } from "./global-setup";

const run = promisify(execFile);
const ctx = emulatorForThisFile();

/** The process's own ring plus new keys; ring r seals with key r and opens with all of them. */
const newKeys = Array.from({ length: 5 }, (_, i) => `rot${i + 1}:${randomBytes(32).toString("base64")}`);
const ringSpec = (current: number) => [newKeys[current]!, ...newKeys.filter((_, i) => i !== current), env.KEYPORT_ENCRYPTION_KEYS].join(",");

function child(args: string[], ring: string) {
  return run(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/integration/support/rotation-load.ts", ...args], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      AUTH_SECRET: env.AUTH_SECRET,
      KEYPORT_ENCRYPTION_KEYS: ring,
      X_API_BASE_URL: ctx.emu.apiBaseUrl,
      X_AUTHORIZE_URL: ctx.emu.authorizeUrl,
    },
    maxBuffer: 10 * 1024 * 1024,
  }).then(({ stdout }) => JSON.parse(stdout) as Record<string, number | string | null>);
}

describe("saying the old keys may go", () => {
  // Their keys are not in the race test's rings: leave nothing behind for it.
  afterEach(() => db.xCredential.deleteMany({ where: { id: { in: ["wrongbytes", "oldinstance"] } } }));
  const oldKey = `old:${randomBytes(32).toString("base64")}`;
  const k1 = `k1:${randomBytes(32).toString("base64")}`;

  async function seedCredential(id: string, sealedWith: string) {
    const { workspace, users } = await (await import("./helpers")).makeWorkspace(`Rot ${id}`, [{ email: `${id}@rot.test`, role: "OWNER" }]);
    const ring = parseKeyRing(sealedWith);
    await db.xCredential.create({
      data: {
        id,
        workspaceId: workspace.id,
        scopeKey: "workspace",
        clientIdSealed: seal("client-id-abcdefghijklmnopqrstuvwxyz01", { table: "XCredential", rowId: id, field: "clientIdSealed" }, ring),
        clientSecretSealed: seal("secret-abcdefghijklmnopqrstuvwxyz0123456789", { table: "XCredential", rowId: id, field: "clientSecretSealed" }, ring),
        clientIdPreview: "client",
        clientKind: "confidential",
        createdById: users[`${id}@rot.test`]!,
        updatedById: users[`${id}@rot.test`]!,
      },
    });
  }

  it("refuses when the first key's bytes are wrong: values marked with its id are opened, not assumed current", async () => {
    await seedCredential("wrongbytes", `${k1},${oldKey}`);
    const wrong = parseKeyRing(`k1:${randomBytes(32).toString("base64")},${oldKey}`);
    const lines: string[] = [];
    expect(await rotateKeys(db, wrong, (l) => lines.push(l))).toBe(false);
    expect(lines.join("\n")).toMatch(/cannot be opened as the ring stands/);
    expect(lines.join("\n")).not.toMatch(/may now be removed/);
  });

  it("refuses while a value written by an instance on the old ring stays under the old key", async () => {
    await seedCredential("oldinstance", oldKey);
    const ring = parseKeyRing(`${k1},${oldKey}`);
    await resealAll(db, ring);
    expect((await verifyRing(db, ring)).XCredential).toMatchObject({ underOlderKey: 0, unopenable: 0 });
    // An instance that was not restarted seals a replacement with the old key.
    const old = parseKeyRing(oldKey);
    await db.xCredential.update({
      where: { id: "oldinstance" },
      data: { clientSecretSealed: seal("replaced-secret-abcdefghijklmnopqrstuvwxyz012", { table: "XCredential", rowId: "oldinstance", field: "clientSecretSealed" }, old) },
    });
    expect((await verifyRing(db, ring)).XCredential).toMatchObject({ underOlderKey: 1, unopenable: 0 });
    // Running the command again re-seals it, and then it is done.
    const lines: string[] = [];
    expect(await rotateKeys(db, ring, (l) => lines.push(l))).toBe(true);
    const row = await db.xCredential.findUniqueOrThrow({ where: { id: "oldinstance" } });
    expect(sealedKeyId(row.clientSecretSealed)).toBe("k1");
  });
});

describe("rotating keys under load", () => {
  it("loses no grant and moves no timestamp back while a second process refreshes and edits", { timeout: 180_000 }, async () => {
    const app = await newApp(ctx.emu);
    const a = await agency(app);
    const brands = [a.brandId];
    for (let i = 0; i < 3; i++) brands.push((await db.brand.create({ data: { workspaceId: a.workspaceId, name: `R${i}`, nameKey: `r${i}` } })).id);
    for (const brandId of brands) await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId });
    const accounts = await db.connectedAccount.findMany({ where: { workspaceId: a.workspaceId }, select: { id: true } });
    expect(accounts).toHaveLength(4);
    const credential = await db.xCredential.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    const ids = accounts.map((x) => x.id);
    const stop = path.join(mkdtempSync(path.join(OUTPUT, "rot-")), "stop");

    const load = child(["--churn", a.workspaceId, credential.id, stop, ...ids], ringSpec(4));
    // Rotate back and forth while the second process works: at least 12 rounds, and until it has
    // been through its accounts 3 times with rotations running (SQLite serialises the writers).
    const progress = () => (existsSync(`${stop}.progress`) ? Number(readFileSync(`${stop}.progress`, "utf8")) : 0);
    const deadline = Date.now() + 60_000;
    while (progress() < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const startedAt = progress();
    let changedMeanwhile = 0;
    for (let round = 0; (round < 12 || progress() < startedAt + 3) && Date.now() < deadline; round++) {
      const report = await resealAll(db, parseKeyRing(ringSpec(round % 4)), { batchSize: 1 });
      changedMeanwhile += Object.values(report).reduce((n, c) => n + c.changedMeanwhile, 0);
      expect(Object.values(report).reduce((n, c) => n + c.failed, 0)).toBe(0);
      await new Promise((r) => setTimeout(r, 20));
    }
    writeFileSync(stop, "");
    const churned = await load;
    expect(churned.failures, String(churned.reasons)).toBe(0);
    expect(churned.refreshes as number).toBeGreaterThanOrEqual(12);

    // Every grant still works, refreshed from a fresh process.
    const finalRing = ringSpec(4);
    const lines: string[] = [];
    expect(await rotateKeys(db, parseKeyRing(finalRing), (l) => lines.push(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Done\. All \d+ sealed values open with key "rot5" alone/);
    expect(await child(["--verify", a.workspaceId, credential.id, stop, ...ids], finalRing)).toEqual({ working: 4 });
    const rows = await db.connectedAccount.findMany({ where: { workspaceId: a.workspaceId } });
    expect(rows.map((r) => r.status)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE"]);
    // The last edit the second process made is still the row's last-changed time.
    const after = await db.xCredential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(new Date(churned.lastEdit as string).getTime());
    expect(changedMeanwhile).toBeGreaterThanOrEqual(0);
  });
});
