import { z } from "zod";
import { component, idParam, page, pagingQuery, timestamp } from "./common";

const count = z.number().int().min(0);

const windowSchema = component(
  "RateWindow",
  z
    .object({
      limit: count.meta({ description: "X's limit for the window (x-…-limit)." }),
      remaining: count.meta({ description: "What X said is left (x-…-remaining); the full limit again once the window reset." }),
      resetAt: timestamp.meta({ description: "When X resets the window (x-…-reset)." }),
      limited: z.boolean().meta({ description: "X answered 429 in this window." }),
      warning: z.boolean().meta({ description: "Less than 10 % left (KEYPORT_QUOTA_WARN_PERCENT), or limited." }),
    })
    .meta({ description: "One X rate-limit window, as X's headers last reported it." }),
);

const money = z.object({ microUsd: count.meta({ description: "Millionths of a US dollar." }), usd: z.number().min(0) });

const costSchema = component(
  "AppCost",
  z
    .object({
      posts: count.meta({ description: "Posts Keyport published through the app." }),
      urlPosts: count.meta({ description: "Of which contained a URL (billed as Content: Create with a URL, about 13 times a plain post)." }),
      postsCost: money,
      ownCalls: count.meta({ description: "Keyport's own calls to X (health checks, profile reads, token refreshes)." }),
      ownCost: money,
      totalCost: money,
    })
    .meta({ description: "What X bills the app for Keyport's calls, at the configured prices (X's documented prices by default)." }),
);

export const appUsageFiguresSchema = z
  .object({
    posts24h: windowSchema.nullable().meta({ description: "Posts left for the whole app over 24 hours (x-app-limit-24hour-*); null until X reported it." }),
    endpoints: z
      .array(
        z.object({
          endpoint: z.string().meta({ examples: ["POST /2/tweets", "GET /2/users/me"] }),
          windowLabel: z.string().meta({ examples: ["15 minutes, per account", "profile reads, 15 minutes, per account"] }),
          account: z.object({ id: idParam, username: z.string() }).nullable().meta({ description: "For a per-account window: the account with the least left." }),
          window: windowSchema,
        }),
      )
      .meta({
        description:
          "Per X endpoint, its current per-account window (x-rate-limit-*) for the account with the least left: POST /2/tweets (posting) and GET /2/users/me (profile reads by Check now, the health sweep and connecting; listed only until its window resets).",
      }),
    accounts: z.array(
      z.object({
        id: idParam,
        username: z.string(),
        posts24h: windowSchema.nullable().meta({ description: "The account's own 24-hour post limit at this app (x-user-limit-24hour-*)." }),
        postsWindow: windowSchema.nullable().meta({ description: "POST /2/tweets per account, 15 minutes (x-rate-limit-*)." }),
      }),
    ).meta({ description: "The accounts X reported posting windows for at this app (a profile read alone does not list an account)." }),
    cost: z.object({ thisMonth: costSchema, last30Days: costSchema }),
    observedAt: timestamp.nullable().meta({ description: "When X last reported any of these windows." }),
    warning: z.boolean().meta({ description: "Some window is below 10 % or was rate-limited." }),
  })
  .meta({ description: "Remaining quota and cost, from the rate-limit headers of X's answers to Keyport's calls." });

export const appSchema = component(
  "App",
  z
    .object({
      id: idParam,
      scope: z.enum(["workspace", "brand", "instance"]).meta({ description: "The workspace default app, one brand's own app (override), or the instance app set by the operator (the lowest tier)." }),
      brandId: idParam.nullable(),
      brandName: z.string().nullable(),
      clientIdPreview: z.string().meta({ description: "The first 6 characters of the Client ID." }),
      usage: appUsageFiguresSchema,
    })
    .meta({ description: "An X developer app whose credentials Keyport holds (never the credentials themselves)." }),
);
export const appPageSchema = page("AppPage", appSchema);

export const appUsageQuery = z.object({ ...pagingQuery });
