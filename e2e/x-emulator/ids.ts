// Identifiers in X's shapes: client ids decode to `<20 chars>:1:ci|na`, codes and tokens are
// base64url of `<random>:<ms>:1:<n>:<kind>:1`, tweet ids are snowflakes.
import { createHash, randomBytes, randomInt } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const TWITTER_EPOCH_MS = 1288834974657n;

export function randomString(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export function newClientId(type: "confidential" | "public"): string {
  return Buffer.from(`${randomString(20)}:1:${type === "public" ? "na" : "ci"}`).toString("base64url");
}

export function newClientSecret(): string {
  return randomString(50);
}

export function newOpaque(kind: "ac" | "at" | "rt", nowMs: number): string {
  const random = randomBytes(40).toString("base64url");
  return Buffer.from(`${random}:${nowMs}:1:${kind === "ac" ? 0 : 1}:${kind}:1`).toString("base64url");
}

export function newNonce(): string {
  return randomBytes(24).toString("base64url");
}

let sequence = 0n;
export function snowflake(nowMs: number): string {
  sequence = (sequence + 1n) & 0xfffn;
  return (((BigInt(Math.floor(nowMs)) - TWITTER_EPOCH_MS) << 22n) | (1n << 12n) | sequence).toString();
}

export function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}
