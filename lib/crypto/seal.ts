// AES-256-GCM sealing for secrets at rest. Each value gets a fresh 12-byte IV; the associated
// data binds the ciphertext to its table, row and field (and to the key id in its header), so a
// sealed value copied to another row or column, or relabelled with another key id, fails to open.
// Format: "v1.<keyId>.<iv>.<ciphertext>.<tag>", base64url parts.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { KeyRing } from "./keyring";

export type SealContext = { table: string; rowId: string; field: string };

/** Deliberately vague: the reason a value failed to open is no business of a log line. */
export class SealError extends Error {
  override name = "SealError";
  constructor(context: SealContext, reason: string) {
    super(`Cannot open sealed ${context.table}.${context.field} of row ${context.rowId}: ${reason}`);
  }
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(plaintext: string, context: SealContext, ring: KeyRing): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(ring.current.id, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, ring.current.id, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(".");
}

export function open(sealed: string, context: SealContext, ring: KeyRing): string {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SealError(context, "not a sealed value");
  const [, keyId, ivText, ciphertextText, tagText] = parts as [string, string, string, string, string];
  const key = ring.keys.get(keyId);
  if (!key) throw new SealError(context, `key "${keyId}" is not in the key ring`);
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealError(context, "malformed");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ciphertextText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SealError(context, "authentication failed");
  }
}

/** The key id a sealed value names, or null when it is not a sealed value. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split(".");
  return parts.length === 5 && parts[0] === VERSION ? (parts[1] ?? null) : null;
}

/** Opens under whichever key sealed it and seals again under the current key. */
export function reseal(sealed: string, context: SealContext, ring: KeyRing): string {
  return seal(open(sealed, context, ring), context, ring);
}

function associatedData(keyId: string, { table, rowId, field }: SealContext): Buffer {
  // Length-prefixed so that no two contexts can serialise to the same bytes.
  return Buffer.from([VERSION, keyId, table, rowId, field].map((p) => `${p.length}:${p}`).join("|"), "utf8");
}
