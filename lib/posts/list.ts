// GET /api/v1/posts: what Keyport published, newest first.
import "server-only";
import { decodeCursor, encodeCursor } from "../api/cursor";
import { accountExists, listPublished } from "../data/posts";
import { publishedPost } from "./outcomes";
import type { ListPostsInput, ListPostsResult } from "./types";

export async function listPosts(input: ListPostsInput): Promise<ListPostsResult> {
  let after: { publishedAt: Date; id: string } | null = null;
  if (input.cursor) {
    const position = decodeCursor("posts", input.cursor, ["t", "i"] as const);
    const at = position ? new Date(position.t) : null;
    if (!position || !at || Number.isNaN(at.getTime())) return { ok: false, error: { code: "invalid_cursor", detail: "That cursor does not belong to this listing." } };
    after = { publishedAt: at, id: position.i };
  }
  if (input.accountId && !(await accountExists(input.workspaceId, input.accountId))) {
    return { ok: false, error: { code: "not_found", detail: "No such account in this workspace." } };
  }
  const page = await listPublished(input.workspaceId, { accountId: input.accountId, after, limit: input.limit });
  const last = page.items.at(-1);
  return {
    ok: true,
    posts: page.items.map(publishedPost),
    nextCursor: page.more && last?.publishedAt ? encodeCursor("posts", { t: last.publishedAt.toISOString(), i: last.id }) : null,
  };
}
