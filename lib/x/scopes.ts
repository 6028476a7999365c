// The OAuth 2.0 scopes Keyport asks X for (contract §2), what each is for, and what breaks
// without it. X returns the granted set in its own order: always compare as sets.
export const REQUESTED_SCOPES = [
  "tweet.read",
  "tweet.write",
  "tweet.moderate.write",
  "users.read",
  "dm.read",
  "dm.write",
  "like.write",
  "offline.access",
] as const;
export type KeyportScope = (typeof REQUESTED_SCOPES)[number];

export const SCOPE_PURPOSE: Record<KeyportScope, string> = {
  "tweet.read": "Read posts; needed with users.read to read the profile and to post.",
  "tweet.write": "Publish posts on the account's behalf.",
  "tweet.moderate.write": "Hide and unhide replies to the account's posts.",
  "users.read": "Read the account's profile (name, @username, picture).",
  "dm.read": "Read direct messages.",
  "dm.write": "Send direct messages.",
  "like.write": "Like and unlike posts.",
  "offline.access": "Stay connected past two hours: without it X issues no refresh token.",
};

/** What stops working when a scope is missing, for the "connected but missing scopes" notice. */
export const SCOPE_BREAKS: Record<KeyportScope, string> = {
  "tweet.read": "reading the profile and posting",
  "tweet.write": "posting",
  "tweet.moderate.write": "hiding replies",
  "users.read": "reading the profile and posting",
  "dm.read": "reading direct messages",
  "dm.write": "sending direct messages",
  "like.write": "liking posts",
  "offline.access": "staying connected for more than two hours",
};

export const SCOPE_PARAM = REQUESTED_SCOPES.join(" ");

export function parseScopes(value: string | null | undefined): string[] {
  return [...new Set((value ?? "").split(/[\s+]+/).filter(Boolean))];
}

/** Requested scopes X did not grant, in Keyport's order. */
export function missingScopes(granted: string | string[]): KeyportScope[] {
  const have = new Set(Array.isArray(granted) ? granted : parseScopes(granted));
  return REQUESTED_SCOPES.filter((s) => !have.has(s));
}
