import { describe, expect, it } from "vitest";
import { sha256Hex } from "../crypto/bearer";
import { hashApiKey, looksLikeApiKey, newApiKey } from "./key-format";

describe("API key format", () => {
  it("kp_live_ + 32 random bytes base64url; stored form is its SHA-256 hex; last four for recognition", () => {
    const { key, hash, lastFour } = newApiKey();
    expect(key).toMatch(/^kp_live_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice("kp_live_".length), "base64url")).toHaveLength(32);
    expect(hash).toBe(sha256Hex(key));
    expect(hashApiKey(key)).toBe(hash);
    expect(lastFour).toBe(key.slice(-4));
    expect(looksLikeApiKey(key)).toBe(true);
    expect(new Set(Array.from({ length: 50 }, () => newApiKey().key)).size).toBe(50);
  });

  it("recognises only well-formed keys", () => {
    for (const bad of ["", "kp_live_", `kp_test_${"a".repeat(43)}`, `kp_live_${"a".repeat(42)}`, `kp_live_${"a".repeat(44)}`, `kp_live_${"a".repeat(42)}=`, ` kp_live_${"a".repeat(43)}`]) {
      expect(looksLikeApiKey(bad), bad).toBe(false);
    }
  });
});
