// X's documented OAuth 2.0 scopes, in X's order: the token response lists granted scopes this way.
import type { AppPermission } from "./types";

export const KNOWN_SCOPES = [
  "tweet.read",
  "tweet.write",
  "tweet.moderate.write",
  "users.email",
  "users.read",
  "follows.read",
  "follows.write",
  "offline.access",
  "space.read",
  "mute.read",
  "mute.write",
  "like.read",
  "like.write",
  "list.read",
  "list.write",
  "block.read",
  "block.write",
  "bookmark.read",
  "bookmark.write",
  "dm.read",
  "dm.write",
  "media.write",
] as const;

const DESCRIPTIONS: Record<string, string> = {
  "tweet.read": "Read posts you can see, including from protected accounts",
  "tweet.write": "Post and repost for you",
  "tweet.moderate.write": "Hide and unhide replies to your posts",
  "users.email": "See your email address",
  "users.read": "See your profile and the accounts you can see",
  "follows.read": "See who you follow and who follows you",
  "follows.write": "Follow and unfollow accounts for you",
  "offline.access": "Stay connected to your account until you revoke access",
  "space.read": "See your Spaces",
  "mute.read": "See the accounts you muted",
  "mute.write": "Mute and unmute accounts for you",
  "like.read": "See posts you liked and who liked your posts",
  "like.write": "Like and unlike posts for you",
  "list.read": "See your Lists",
  "list.write": "Create and manage Lists for you",
  "block.read": "See the accounts you blocked",
  "block.write": "Block and unblock accounts for you",
  "bookmark.read": "See your bookmarks",
  "bookmark.write": "Bookmark and remove bookmarks for you",
  "dm.read": "See your Direct Messages",
  "dm.write": "Send Direct Messages for you",
  "media.write": "Upload media for you",
};

/** Splits a scope parameter (space or `+` already decoded), or null if any scope is unknown. */
export function parseScopes(raw: string): string[] | null {
  const requested = raw.split(/\s+/).filter(Boolean);
  if (requested.length === 0) return null;
  if (requested.some((s) => !(KNOWN_SCOPES as readonly string[]).includes(s))) return null;
  return orderScopes(requested);
}

export function orderScopes(scopes: Iterable<string>): string[] {
  const set = new Set(scopes);
  return KNOWN_SCOPES.filter((s) => set.has(s));
}

// Contract §1/§2: an app's permission bounds its tokens. Writes need "Read and write"; DMs need
// "Read, write and Direct Messages". Every other scope is within "Read".
const NEEDS_READ_WRITE = new Set([
  "tweet.write",
  "tweet.moderate.write",
  "follows.write",
  "mute.write",
  "like.write",
  "list.write",
  "block.write",
  "bookmark.write",
  "media.write",
]);
const NEEDS_DM = new Set(["dm.read", "dm.write"]);

export function permissionAllows(permission: AppPermission, scope: string): boolean {
  if (NEEDS_DM.has(scope)) return permission === "read-write-dm";
  if (NEEDS_READ_WRITE.has(scope)) return permission !== "read";
  return true;
}

/** Splits requested scopes into what the permission allows and what it does not, both in X's order. */
export function splitByPermission(scopes: string[], permission: AppPermission): { allowed: string[]; beyond: string[] } {
  const allowed = scopes.filter((s) => permissionAllows(permission, s));
  const beyond = scopes.filter((s) => !permissionAllows(permission, s));
  return { allowed: orderScopes(allowed), beyond: orderScopes(beyond) };
}

export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? scope;
}
