// The contract between lib/posts and its callers (the API route, the composer's action). Types only.
import type { CostClass } from "./text";

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
  costClass: CostClass;
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
  | "invalid_request";

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
export type ListPostsResult = { ok: true; posts: PublishedPost[]; nextCursor: string | null } | { ok: false; error: { code: "invalid_cursor" | "not_found"; detail: string } };
