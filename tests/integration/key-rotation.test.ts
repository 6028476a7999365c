import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseKeyRing } from "@/lib/crypto/keyring";
import { open, seal, sealedKeyId } from "@/lib/crypto/seal";
import { resealAll } from "@/lib/data/key-rotation";
import { db } from "@/lib/db";
import { makeWorkspace } from "./helpers";

const oldKey = `old:${randomBytes(32).toString("base64")}`;
const newKey = `new:${randomBytes(32).toString("base64")}`;
const oldRing = parseKeyRing(oldKey);
const rotatingRing = parseKeyRing(`${newKey},${oldKey}`);
const newRing = parseKeyRing(newKey);

describe("npm run keys:rotate (resealAll)", () => {
  it("re-seals every sealed column under the current key, in batches, keeping updatedAt; old keys can then go", async () => {
    const { workspace, users } = await makeWorkspace("Rotation", [{ email: "rot@example.com", role: "OWNER" }]);
    const brand = await db.brand.create({ data: { workspaceId: workspace.id, name: "B", nameKey: "b" } });
    const values: { table: string; id: string; field: string; plain: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const id = `cred${i}`;
      const clientId = `client-id-${i}-abcdefghijklmnopqrstuvwx`;
      const secret = `secret-${i}-abcdefghijklmnopqrstuvwxyz0123456789`;
      await db.xCredential.create({
        data: {
          id,
          workspaceId: workspace.id,
          scopeKey: i === 0 ? "workspace" : `brand:x${i}`,
          clientIdSealed: seal(clientId, { table: "XCredential", rowId: id, field: "clientIdSealed" }, oldRing),
          clientSecretSealed: seal(secret, { table: "XCredential", rowId: id, field: "clientSecretSealed" }, oldRing),
          clientIdPreview: clientId.slice(0, 6),
          clientKind: "confidential",
          createdById: users["rot@example.com"]!,
          updatedById: users["rot@example.com"]!,
          updatedAt: new Date("2026-01-01T00:00:00Z"),
        },
      });
      values.push({ table: "XCredential", id, field: "clientIdSealed", plain: clientId }, { table: "XCredential", id, field: "clientSecretSealed", plain: secret });
    }
    const accountId = "acct1";
    const access = "access-token-value-1";
    await db.connectedAccount.create({
      data: {
        id: accountId,
        workspaceId: workspace.id,
        brandId: brand.id,
        xUserId: "1",
        name: "A",
        username: "a",
        grantedScopes: "tweet.read",
        // Already under the new key: counted as current, left alone.
        accessTokenSealed: seal(access, { table: "ConnectedAccount", rowId: accountId, field: "accessTokenSealed" }, rotatingRing),
        refreshTokenSealed: null,
        credentialId: "cred0",
        credentialVersion: 1,
      },
    });
    values.push({ table: "ConnectedAccount", id: accountId, field: "accessTokenSealed", plain: access });

    const batches: string[] = [];
    const report = await resealAll(db, rotatingRing, { batchSize: 2, onBatch: (t) => batches.push(t) });
    expect(report.XCredential).toEqual({ scanned: 10, resealed: 10, current: 0, changedMeanwhile: 0, failed: 0 });
    expect(report.ConnectedAccount).toEqual({ scanned: 1, resealed: 0, current: 1, changedMeanwhile: 0, failed: 0 });
    expect(batches.filter((t) => t === "XCredential")).toHaveLength(3);

    for (const v of values) {
      const row = (await (v.table === "XCredential"
        ? db.xCredential.findUniqueOrThrow({ where: { id: v.id } })
        : db.connectedAccount.findUniqueOrThrow({ where: { id: v.id } }))) as unknown as Record<string, string>;
      const sealed = row[v.field]!;
      expect(sealedKeyId(sealed)).toBe("new");
      expect(open(sealed, { table: v.table, rowId: v.id, field: v.field }, newRing)).toBe(v.plain);
    }
    const cred = await db.xCredential.findUniqueOrThrow({ where: { id: "cred1" } });
    expect(cred.updatedAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");

    const again = await resealAll(db, rotatingRing);
    expect(again.XCredential!.resealed).toBe(0);
    expect(again.XCredential!.current).toBe(10);
  });

  it("reports values no key in the ring can open, and leaves them untouched", async () => {
    const { workspace, users } = await makeWorkspace("Lost key", [{ email: "lost@example.com", role: "OWNER" }]);
    const lostRing = parseKeyRing(`lost:${randomBytes(32).toString("base64")}`);
    const sealed = seal("x".repeat(40), { table: "XCredential", rowId: "lost1", field: "clientSecretSealed" }, lostRing);
    await db.xCredential.create({
      data: {
        id: "lost1",
        workspaceId: workspace.id,
        scopeKey: "workspace",
        clientIdSealed: seal("y".repeat(34), { table: "XCredential", rowId: "lost1", field: "clientIdSealed" }, rotatingRing),
        clientSecretSealed: sealed,
        clientIdPreview: "yyyyyy",
        clientKind: "confidential",
        createdById: users["lost@example.com"]!,
        updatedById: users["lost@example.com"]!,
      },
    });
    const report = await resealAll(db, rotatingRing);
    expect(report.XCredential!.failed).toBe(1);
    expect((await db.xCredential.findUniqueOrThrow({ where: { id: "lost1" } })).clientSecretSealed).toBe(sealed);
  });
});
