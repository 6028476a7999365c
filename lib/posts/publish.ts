// Publishing posts through a connected account's own X app: the one function the API
// (POST /api/v1/posts) and the dashboard composer both call.
//
// TODO(issue 9 §2 "POST /api/v1/posts", §3): STUB. The posts engineer replaces both function bodies
// below with the real thing (POST /2/tweets via getValidAccessToken, twitter-text weighted length,
// Idempotency-Key recorded before calling X, X's errors mapped to the codes below). Until then both
// answer { ok: false, error: { code: "not_implemented" } }, which the API turns into a 501 problem.
// The types are the contract the API route relies on; keep them (or change the route with them).
import "server-only";

export type PublishActor = { kind: "api-key"; id: string; name: string } | { kind: "user"; id: string; name: string };

export type PublishPostInput = {
  workspaceId: string;
  accountId: string;
  text: string;
  replyToPostId?: string | undefined;
  quotePostId?: string | undefined;
  /** The Idempotency-Key header, already validated (1–255 printable ASCII), or null. */
  idempotencyKey: string | null;
  actor: PublishActor;
};

export type PublishedPost = {
  id: string;
  url: string;
  account: { id: string; username: string };
  text: string;
  replyToPostId: string | null;
  quotePostId: string | null;
  createdAt: Date;
  costClass: "standard" | "url";
};

/** Stable codes; the API maps each to a status and title in lib/api/problems.ts. */
export type PublishErrorCode =
  | "not_found"
  | "account_needs_reconnect"
  | "missing_x_scope"
  | "text_too_long"
  | "duplicate_content"
  | "x_rate_limited"
  | "x_unavailable"
  | "outcome_unknown"
  | "idempotency_in_progress"
  | "idempotency_key_reused"
  | "not_implemented";

export type PublishError = {
  code: PublishErrorCode;
  /** For a person: what happened and what to do. Never a token or X's raw body. */
  detail: string;
  /** x_rate_limited, x_unavailable, idempotency_in_progress: seconds until a retry makes sense. */
  retryAfterSeconds?: number;
};

export type PublishPostResult = { ok: true; post: PublishedPost; replayed: boolean } | { ok: false; error: PublishError };

export type ListPostsInput = { workspaceId: string; accountId?: string | undefined; cursor?: string | undefined; limit: number };
/** invalid_cursor when `cursor` is not one listPosts returned. */
export type ListPostsResult = { ok: true; posts: PublishedPost[]; nextCursor: string | null } | { ok: false; error: { code: "invalid_cursor" | "not_found" | "not_implemented"; detail: string } };

const NOT_IMPLEMENTED = "Publishing is not available in this Keyport version yet (issue 9). Nothing was sent to X.";

export async function publishPost(_input: PublishPostInput): Promise<PublishPostResult> {
  return { ok: false, error: { code: "not_implemented", detail: NOT_IMPLEMENTED } };
}

export async function listPosts(_input: ListPostsInput): Promise<ListPostsResult> {
  return { ok: false, error: { code: "not_implemented", detail: "Listing published posts is not available in this Keyport version yet (issue 9)." } };
}
