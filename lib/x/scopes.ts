// The OAuth 2.0 scopes Keyport asks X for (contract §2): the least it needs by default, plus what a
// workspace opts in to. Each scope says what it is for, what breaks without it, and which "App
// permissions" setting the X app needs for X to grant it. X returns the granted set in its own
// order: always compare as sets.

/** Reading the profile, posting, staying connected. Every connection asks for these. */
export const BASE_SCOPES = ["tweet.read", "tweet.write", "users.read", "offline.access"] as const;

/** What a workspace may add for its own tools (Workspace.extraScopes). */
export const OPTIONAL_SCOPES = [
  "tweet.moderate.write",
  "like.read",
  "like.write",
  "follows.read",
  "follows.write",
  "bookmark.read",
  "bookmark.write",
  "media.write",
  "dm.read",
  "dm.write",
] as const;

export type BaseScope = (typeof BASE_SCOPES)[number];
export type OptionalScope = (typeof OPTIONAL_SCOPES)[number];
export type KeyportScope = BaseScope | OptionalScope;

/** Kept for callers that mean "what a connection asks for by default". */
export const REQUESTED_SCOPES: readonly KeyportScope[] = BASE_SCOPES;

/** X's three app permission levels, in increasing order of what they allow. */
export const APP_PERMISSIONS = ["read", "read-write", "read-write-dm"] as const;
export type AppPermission = (typeof APP_PERMISSIONS)[number];
/** The labels as X's settings page shows them. */
export const APP_PERMISSION_LABEL: Record<AppPermission, string> = {
  read: "Read",
  "read-write": "Read and write",
  "read-write-dm": "Read and write and Direct message",
};

type ScopeInfo = { purpose: string; breaks: string; permission: AppPermission };

export const SCOPE_INFO: Record<KeyportScope, ScopeInfo> = {
  "tweet.read": { purpose: "Read posts; needed with users.read to read the profile and to post.", breaks: "reading the profile and posting", permission: "read" },
  "tweet.write": { purpose: "Publish posts on the account's behalf.", breaks: "posting", permission: "read-write" },
  "users.read": { purpose: "Read the account's profile (name, @username, picture).", breaks: "reading the profile and posting", permission: "read" },
  "offline.access": { purpose: "Stay connected past two hours: without it X issues no refresh token.", breaks: "staying connected for more than two hours", permission: "read" },
  "tweet.moderate.write": { purpose: "Hide and unhide replies to the account's posts.", breaks: "hiding replies", permission: "read-write" },
  "like.read": { purpose: "See which posts the account liked.", breaks: "reading likes", permission: "read" },
  "like.write": { purpose: "Like and unlike posts.", breaks: "liking posts", permission: "read-write" },
  "follows.read": { purpose: "See who the account follows and who follows it.", breaks: "reading follows", permission: "read" },
  "follows.write": { purpose: "Follow and unfollow accounts.", breaks: "following accounts", permission: "read-write" },
  "bookmark.read": { purpose: "Read the account's bookmarks.", breaks: "reading bookmarks", permission: "read" },
  "bookmark.write": { purpose: "Add and remove bookmarks.", breaks: "bookmarking", permission: "read-write" },
  "media.write": { purpose: "Upload images and video to attach to posts.", breaks: "posting media", permission: "read-write" },
  "dm.read": { purpose: "Read direct messages (X wants dm.write with it).", breaks: "reading direct messages", permission: "read-write-dm" },
  "dm.write": { purpose: "Send direct messages.", breaks: "sending direct messages", permission: "read-write-dm" },
};

/** Scopes X grants only together: choosing one adds the others (contract §2: dm.read with dm.write). */
const COMPANIONS: Partial<Record<OptionalScope, OptionalScope[]>> = { "dm.read": ["dm.write"], "dm.write": ["dm.read"] };

export const SCOPE_PURPOSE = Object.fromEntries(Object.entries(SCOPE_INFO).map(([s, i]) => [s, i.purpose])) as Record<KeyportScope, string>;
/** What stops working when a scope is missing, for the "connected but missing scopes" notice. */
export const SCOPE_BREAKS = Object.fromEntries(Object.entries(SCOPE_INFO).map(([s, i]) => [s, i.breaks])) as Record<KeyportScope, string>;

export function isOptionalScope(value: string): value is OptionalScope {
  return (OPTIONAL_SCOPES as readonly string[]).includes(value);
}

/** The optional scopes a stored or submitted list holds: unknown words dropped, companions added, canonical order. */
export function normalizeExtraScopes(value: string | readonly string[] | null | undefined): OptionalScope[] {
  const chosen = new Set((typeof value === "string" || value == null ? parseScopes(value) : [...value]).filter(isOptionalScope));
  for (const s of [...chosen]) for (const c of COMPANIONS[s] ?? []) chosen.add(c);
  return OPTIONAL_SCOPES.filter((s) => chosen.has(s));
}

/** Everything a connection asks for: the base set and the workspace's extras. */
export function requestedScopes(extra?: string | readonly string[] | null): KeyportScope[] {
  return [...BASE_SCOPES, ...normalizeExtraScopes(extra)];
}

export function scopeParam(scopes: readonly string[] = BASE_SCOPES): string {
  return scopes.join(" ");
}
export const SCOPE_PARAM = scopeParam();

/** The least "App permissions" setting under which X can grant every scope in the list. */
export function requiredPermission(scopes: readonly KeyportScope[]): AppPermission {
  let level = 0;
  for (const s of scopes) level = Math.max(level, APP_PERMISSIONS.indexOf(SCOPE_INFO[s].permission));
  return APP_PERMISSIONS[level]!;
}

export function parseScopes(value: string | null | undefined): string[] {
  return [...new Set((value ?? "").split(/[\s+]+/).filter(Boolean))];
}

/** Requested scopes X did not grant, in Keyport's order (the base set unless told what was asked). */
export function missingScopes(granted: string | string[], requested: readonly KeyportScope[] = BASE_SCOPES): KeyportScope[] {
  const have = new Set(Array.isArray(granted) ? granted : parseScopes(granted));
  return requested.filter((s) => !have.has(s));
}
