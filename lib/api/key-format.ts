// What an API key looks like. A fixed, greppable prefix lets secret scanners (and people) spot a
// leaked key; 32 random bytes make it unguessable. Only sha256Hex(key) is ever stored.
import { newBearerToken, sha256Hex } from "../crypto/bearer";

export const API_KEY_PREFIX = "kp_live_";
/** The prefix followed by 32 random bytes in base64url (43 characters, no padding). */
export const API_KEY_PATTERN = /^kp_live_[A-Za-z0-9_-]{43}$/;

export function newApiKey(): { key: string; hash: string; lastFour: string } {
  const key = `${API_KEY_PREFIX}${newBearerToken()}`;
  return { key, hash: sha256Hex(key), lastFour: key.slice(-4) };
}

export function looksLikeApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

export function hashApiKey(key: string): string {
  return sha256Hex(key);
}
