"use server";
// The brand page's composer: publishes through the same lib/posts function as POST /api/v1/posts.
import { revalidatePath } from "next/cache";
import { getAccountBrand } from "../data/posts";
import { flushRateWindows } from "../connections/quota";
import { publishPost } from "../posts/publish";
import { requireRole } from "../session";
import { publishPostSchema } from "../validations/posts";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export type ComposerPublished = { id: string; url: string; username: string; costClass: "standard" | "url"; replayed: boolean };

export async function publishPostAction(input: unknown): Promise<ActionResult<ComposerPublished>> {
  return guarded<ComposerPublished>(async () => {
    const user = await requireRole("MEMBER");
    const parsed = publishPostSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { brandId, accountId, text, idempotencyKey } = parsed.data;
    const account = await getAccountBrand(user.workspaceId, accountId);
    if (!account || account.brandId !== brandId) return fail("That account is not connected to this brand.");
    if (account.status !== "ACTIVE") return fail(`@${account.username} is not active; reconnect it before posting.`);
    const result = await publishPost({
      workspaceId: user.workspaceId,
      accountId,
      text,
      idempotencyKey: `composer:${user.id}:${idempotencyKey}`,
      actor: { kind: "user", id: user.id, name: user.name || user.email },
    });
    // The quota panels read X's figures from the database: show this post's effect right away.
    await flushRateWindows();
    revalidatePath("/brands/[brandId]", "page");
    revalidatePath("/settings/x");
    if (!result.ok) return fail(result.error.detail);
    const { post } = result;
    return ok({ id: post.id, url: post.url, username: post.account.username, costClass: post.costClass, replayed: result.replayed });
  });
}
