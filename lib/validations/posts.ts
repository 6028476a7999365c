import { idField } from "./brands";
// Server-side and admin-only forms: the full zod (the shared, shipped-to-every-page schemas use zod/mini via ./zod).
import { z } from "zod";

/** The composer's post: the same limits as the API's (X's weighted length is checked by lib/posts). */
export const publishPostSchema = z.object({
  brandId: idField,
  accountId: idField,
  text: z.string().max(10_000, "Far over X's limit.").refine((t) => t.trim().length > 0, "Write something to post."),
  // One per draft, made in the browser: a double click or a retried request posts once.
  idempotencyKey: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, "Not a draft id."),
});
export type PublishPostInput = z.infer<typeof publishPostSchema>;
