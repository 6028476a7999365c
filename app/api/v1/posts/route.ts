// POST /api/v1/posts — publish through a connected account's own X app; GET — what Keyport
// published. Both go through lib/posts/publish.ts, the code path the dashboard composer shares.
import { postJson } from "@/lib/api/dto";
import { apiHandler, otherMethods } from "@/lib/api/handler";
import { createPost, listPostsOperation } from "@/lib/api/operations";
import { problem } from "@/lib/api/problem-response";
import { listPosts, publishPost } from "@/lib/posts/publish";

export const dynamic = "force-dynamic";

export const POST = apiHandler(createPost, async ({ key, body, headers: sent }) => {
  const result = await publishPost({
    workspaceId: key.workspaceId,
    accountId: body.accountId,
    text: body.text,
    replyToPostId: body.replyToPostId,
    quotePostId: body.quotePostId,
    idempotencyKey: sent["idempotency-key"] ?? null,
    actor: { kind: "api-key", id: key.id, name: key.name },
  });
  if (!result.ok) return problem(result.error.code, result.error.detail, { retryAfterSeconds: result.error.retryAfterSeconds });
  const headers: Record<string, string> = result.replayed ? { "Idempotent-Replayed": "true" } : {};
  return { status: 201, body: postJson(result.post), headers };
});

export const GET = apiHandler(listPostsOperation, async ({ key, query }) => {
  const result = await listPosts({ workspaceId: key.workspaceId, accountId: query.accountId, cursor: query.cursor, limit: query.limit });
  if (!result.ok) return problem(result.error.code, result.error.detail);
  return { status: 200, body: { data: result.posts.map(postJson), nextCursor: result.nextCursor } };
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
