import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseKeyRing } from "./keyring";
import { open, reseal, seal, SealError, sealedKeyId } from "./seal";

const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("base64");
const ringA = parseKeyRing(`ka:${keyA}`);
const ringBA = parseKeyRing(`kb:${keyB},ka:${keyA}`);
const ringB = parseKeyRing(`kb:${keyB}`);
const ctx = { table: "XCredential", rowId: "row1", field: "clientSecretSealed" };
const secret = "s3cr3t-Client_Secret-abcdefghijklmnopqrstuvwxyz0123456789";

function tamper(sealed: string, index: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[index]!, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

describe("seal/open", () => {
  it("round-trips, with a fresh IV every time and no plaintext in the output", () => {
    const one = seal(secret, ctx, ringA);
    const two = seal(secret, ctx, ringA);
    expect(one).not.toEqual(two);
    expect(one).not.toContain(secret);
    expect(one.startsWith("v1.ka.")).toBe(true);
    expect(open(one, ctx, ringA)).toBe(secret);
    expect(open(seal("", ctx, ringA), ctx, ringA)).toBe("");
    expect(open(seal("ünïcødé ✓", ctx, ringA), ctx, ringA)).toBe("ünïcødé ✓");
  });

  it.each([
    ["IV", 2],
    ["ciphertext", 3],
    ["tag", 4],
  ])("refuses a tampered %s", (_, index) => {
    const sealed = seal(secret, ctx, ringA);
    expect(() => open(tamper(sealed, index), ctx, ringA)).toThrow(SealError);
  });

  it("refuses a value moved to another row, field or table (AAD)", () => {
    const sealed = seal(secret, ctx, ringA);
    expect(() => open(sealed, { ...ctx, rowId: "row2" }, ringA)).toThrow(SealError);
    expect(() => open(sealed, { ...ctx, field: "clientIdSealed" }, ringA)).toThrow(SealError);
    expect(() => open(sealed, { ...ctx, table: "ConnectedAccount" }, ringA)).toThrow(SealError);
    // Contexts that would collide if simply joined stay distinct.
    const joined = seal(secret, { table: "a", rowId: "b|c", field: "d" }, ringA);
    expect(() => open(joined, { table: "a|b", rowId: "c", field: "d" }, ringA)).toThrow(SealError);
  });

  it("refuses a value relabelled with another key id, and an unknown key", () => {
    const sealed = seal(secret, ctx, ringBA);
    const relabelled = sealed.replace(/^v1\.kb\./, "v1.ka.");
    expect(() => open(relabelled, ctx, ringBA)).toThrow(SealError);
    expect(() => open(sealed, ctx, ringA)).toThrow(/not in the key ring/);
  });

  it("never puts the plaintext or the key in an error message", () => {
    const sealed = seal(secret, ctx, ringA);
    try {
      open(tamper(sealed, 3), ctx, ringA);
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(secret);
      expect(String(error)).not.toContain(keyA);
    }
  });

  it("reseals under the current key; the old key can then be dropped", () => {
    const old = seal(secret, ctx, ringA);
    expect(sealedKeyId(old)).toBe("ka");
    const renewed = reseal(old, ctx, ringBA);
    expect(sealedKeyId(renewed)).toBe("kb");
    expect(open(renewed, ctx, ringB)).toBe(secret);
    expect(() => open(old, ctx, ringB)).toThrow(SealError);
  });
});

describe("parseKeyRing", () => {
  it("takes the first key as current and refuses bad specs without echoing key material", () => {
    expect(ringBA.current.id).toBe("kb");
    expect([...ringBA.keys.keys()]).toEqual(["kb", "ka"]);
    expect(() => parseKeyRing("")).toThrow(/empty/);
    expect(() => parseKeyRing(`ka:${randomBytes(16).toString("base64")}`)).toThrow(/32 bytes/);
    expect(() => parseKeyRing(`ka:${keyA},ka:${keyB}`)).toThrow(/twice/);
    expect(() => parseKeyRing(`KA!:${keyA}`)).toThrow(/Key 1 must be "id:base64key"/);
    // URL-safe base64 works too.
    expect(parseKeyRing(`kc:${randomBytes(32).toString("base64url")}`).current.key.length).toBe(32);
  });

  it("never echoes key material when an entry lacks its id or has a malformed one", () => {
    for (const spec of [keyA, `ka:${keyB},${keyA}`, `${keyA.slice(0, 20)}:${keyA.slice(20)}`]) {
      let message = "";
      try {
        parseKeyRing(spec);
      } catch (error) {
        message = String(error);
      }
      expect(message).toMatch(/must be "id:base64key"/);
      expect(message).not.toContain(keyA.slice(0, 8));
      expect(message).not.toContain(keyA.slice(20, 28));
    }
  });
});
