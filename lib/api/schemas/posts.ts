import { z } from "zod";
import { component, idParam, page, pagingQuery, timestamp } from "./common";

const xPostId = z.string().regex(/^[0-9]{1,19}$/, "An X post id (digits).").meta({ description: "A post id at X.", examples: ["1790000000000000123"] });

export const createPostBody = z
  .strictObject({
    accountId: idParam.meta({ description: "The connected account to publish as." }),
    text: z
      .string({ message: "Text is required." })
      .min(1, "Text is required.")
      .refine((t) => t.trim().length > 0, "Text is required.")
      .max(10_000, "Far over X's limit.")
      .meta({ description: "The post. X's weighted length must be at most 280: URLs count 23, CJK characters and emoji 2." }),
    replyToPostId: xPostId.optional().meta({ description: "Publish as a reply to this post." }),
    quotePostId: xPostId.optional().meta({ description: "Quote this post." }),
  })
  .meta({ description: "What to publish." });

export const idempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255, "At most 255 characters.")
    .regex(/^[\x21-\x7e]+$/, "Printable ASCII without spaces.")
    .optional()
    .meta({
      description:
        "Makes retries safe: a repeat with the same key and body returns the first result and never posts twice. If X's answer to the first attempt was lost, the API answers 409 outcome_unknown instead of posting again.",
    }),
});

export const COST_CLASSES = ["standard", "url"] as const;

export const postSchema = component(
  "Post",
  z
    .object({
      id: z.string().meta({ description: "The post's id at X." }),
      url: z.string().meta({ description: "https://x.com/{username}/status/{id}" }),
      account: z.object({ id: idParam, username: z.string() }),
      text: z.string(),
      replyToPostId: z.string().nullable(),
      quotePostId: z.string().nullable(),
      createdAt: timestamp,
      costClass: z.enum(COST_CLASSES).meta({ description: "What X bills for it: a plain post, or a post containing a URL (about 13 times as much)." }),
    })
    .meta({ description: "A post Keyport published." }),
);
export const postPageSchema = page("PostPage", postSchema);

export const listPostsQuery = z.object({
  accountId: idParam.optional().meta({ description: "Only posts published through this account." }),
  ...pagingQuery,
});

export const previewPostBody = z
  .strictObject({
    text: z.string({ message: "Text is required." }).max(10_000, "Far over X's limit.").meta({ description: "The post as it would be published." }),
  })
  .meta({ description: "A post to weigh and price, not to publish." });

export const postPreviewSchema = component(
  "PostPreview",
  z
    .object({
      weightedLength: z.number().int().meta({ description: "X's weighted length (twitter-text v3): URLs 23, CJK characters and emoji 2." }),
      maxWeightedLength: z.literal(280),
      fits: z.boolean().meta({ description: "Whether X accepts the length (1 to 280)." }),
      urls: z.array(z.string()).meta({ description: "The links X will shorten (each counts 23)." }),
      doubled: z.array(z.string()).meta({ description: "Characters that count 2 (CJK, emoji), up to 12." }),
      costClass: z.enum(COST_CLASSES),
      expectedCost: z.object({ microUsd: z.number().int(), usd: z.number() }).meta({ description: "What X bills for the post at the configured prices." }),
      warning: z.string().nullable().meta({ description: "Set when the post contains a URL: X bills it at about 13 times a plain post." }),
    })
    .meta({ description: "What publishing this text would count and cost. Nothing is sent to X." }),
);
