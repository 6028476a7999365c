// Random bearer values (invite links, OAuth state, connect-link tokens) and their stored form. Only the SHA-256
// hex of such a value is ever written to the database, so a database leak can't replay them.
import { createHash, randomBytes } from "node:crypto";

export function newBearerToken(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
