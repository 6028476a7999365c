// The encryption key ring: the current key seals, every listed key opens. Configured as
// KEYPORT_ENCRYPTION_KEYS="id:base64key,older-id:base64key" with the current key first.
export type KeyRing = {
  current: { id: string; key: Buffer };
  keys: ReadonlyMap<string, Buffer>;
};

export class KeyRingError extends Error {
  override name = "KeyRingError";
}

const KEY_ID = /^[a-z0-9_-]{1,32}$/;

export function parseKeyRing(spec: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let current: KeyRing["current"] | null = null;
  const parts = spec.split(",").map((p) => p.trim()).filter(Boolean);
  for (const [index, part] of parts.entries()) {
    const colon = part.indexOf(":");
    const id = part.slice(0, colon);
    // Not echoed: without its "id:" an entry is all key, and a malformed id may be key material too.
    if (colon < 1 || !KEY_ID.test(id)) throw new KeyRingError(`Key ${index + 1} must be "id:base64key" with an id of 1–32 of a-z 0-9 _ -`);
    // Standard and URL-safe base64 both decode here; the key itself never appears in a message.
    const key = Buffer.from(part.slice(colon + 1).replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (key.length !== 32) throw new KeyRingError(`Key "${id}" must be 32 bytes (base64), got ${key.length}`);
    if (keys.has(id)) throw new KeyRingError(`Key id "${id}" appears twice`);
    keys.set(id, key);
    current ??= { id, key };
  }
  if (!current) throw new KeyRingError("The key ring is empty");
  return { current, keys };
}
