// Every operation of /api/v1, described once. Route handlers are built from these
// (app/api/v1/**/route.ts) and the OpenAPI document is generated from them (lib/api/openapi.ts);
// a test checks that the two match in both directions.
import { z } from "zod";
import { accountPageSchema, accountParams, accountSchema, listAccountsQuery } from "./schemas/accounts";
import { appPageSchema, appUsageQuery } from "./schemas/apps";
import { brandPageSchema, listBrandsQuery } from "./schemas/brands";
import { connectLinkParams, connectLinkSchema, createConnectLinkBody } from "./schemas/connect-links";
import { createPostBody, idempotencyHeaders, listPostsQuery, postPageSchema, postPreviewSchema, postSchema, previewPostBody } from "./schemas/posts";
import { defineOperation, type OperationSpec } from "./operation";

const rateHeaders = {
  "RateLimit-Limit": { description: "Requests this key may make per window.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer" } },
} as const;

export const listBrands = defineOperation({
  operationId: "listBrands",
  method: "GET",
  path: "/brands",
  tag: "Brands",
  summary: "List brands",
  description: "The workspace's brands by name, optionally filtered by a case-insensitive search. Any valid key may list brands.",
  scopes: [],
  query: listBrandsQuery,
  responses: { 200: { description: "A page of brands.", schema: brandPageSchema, headers: rateHeaders } },
  problems: ["invalid_request", "invalid_cursor"],
});

export const listAccounts = defineOperation({
  operationId: "listAccounts",
  method: "GET",
  path: "/accounts",
  tag: "Accounts",
  summary: "List connected accounts",
  description: "Connected X accounts of the workspace, optionally of one brand or with one status, with why an account needs reconnecting and since when. Never a token.",
  scopes: ["accounts:read"],
  query: listAccountsQuery,
  responses: { 200: { description: "A page of accounts.", schema: accountPageSchema, headers: rateHeaders } },
  problems: ["invalid_request", "invalid_cursor"],
});

export const getAccount = defineOperation({
  operationId: "getAccount",
  method: "GET",
  path: "/accounts/{accountId}",
  tag: "Accounts",
  summary: "Get one account",
  description: "One connected account: status, reason, since, app preview, granted scopes and the last check.",
  scopes: ["accounts:read"],
  params: accountParams,
  responses: { 200: { description: "The account.", schema: accountSchema, headers: rateHeaders } },
  problems: ["not_found"],
});

export const createConnectLink = defineOperation({
  operationId: "createConnectLink",
  method: "POST",
  path: "/brands/{brandId}/connect-links",
  tag: "Connect links",
  summary: "Create a hosted connect link",
  description:
    "A single-use link the brand's client opens to connect their X account through the brand's X app, without a Keyport account. With `accountId`, a reconnect link for that account. The URL is in this answer only.",
  scopes: ["links:write"],
  params: connectLinkParams,
  body: { schema: createConnectLinkBody, required: false },
  responses: { 201: { description: "The link was created.", schema: connectLinkSchema, headers: rateHeaders } },
  problems: ["not_found", "account_not_in_brand", "no_x_app", "unsupported_media_type", "payload_too_large", "invalid_json", "invalid_request"],
});

export const appUsage = defineOperation({
  operationId: "getAppUsage",
  method: "GET",
  path: "/apps/usage",
  tag: "Apps",
  summary: "X apps and their usage",
  description:
    "The X apps whose credentials the workspace holds (the default and each brand's override), by Client ID preview, with `usage`: what is left of X's rate limits (the 24-hour post limit of the app, each endpoint's window, each account's own limit, from the headers of X's last answers) and what the app's calls cost this month and over the last 30 days. A warning flag marks windows under 10 % or rate-limited.",
  scopes: ["accounts:read"],
  query: appUsageQuery,
  responses: { 200: { description: "A page of apps.", schema: appPageSchema, headers: rateHeaders } },
  problems: ["invalid_request", "invalid_cursor"],
});

export const createPost = defineOperation({
  operationId: "createPost",
  method: "POST",
  path: "/posts",
  tag: "Posts",
  summary: "Publish a post",
  description:
    "Publishes through the account's own X app (POST /2/tweets), refreshing its token when needed. The text's length is X's weighted length (twitter-text v3; at most 280). A post containing a URL is billed by X as Content: Create with a URL, about 13 times a plain post: `costClass` says which (check beforehand with POST /posts/preview). Send an Idempotency-Key to make retries safe: the same key and body return the first result and never post twice, also when retries race; if X's answer to the first attempt was lost the answer is 409 outcome_unknown, never a second post.",
  scopes: ["posts:write"],
  headers: idempotencyHeaders,
  body: { schema: createPostBody, required: true },
  responses: {
    201: {
      description: "Published (or, with `Idempotent-Replayed: true`, the first result of this Idempotency-Key).",
      schema: postSchema,
      headers: { ...rateHeaders, "Idempotent-Replayed": { description: "true when this is the stored result of an earlier request with the same Idempotency-Key.", schema: { type: "string" } } },
    },
  },
  problems: [
    "not_found",
    "account_needs_reconnect",
    "missing_x_scope",
    "text_too_long",
    "duplicate_content",
    "x_rate_limited",
    "x_unavailable",
    "outcome_unknown",
    "idempotency_in_progress",
    "idempotency_key_reused",
    "unsupported_media_type",
    "payload_too_large",
    "invalid_json",
    "invalid_request",
  ],
});

export const listPostsOperation = defineOperation({
  operationId: "listPosts",
  method: "GET",
  path: "/posts",
  tag: "Posts",
  summary: "List published posts",
  description: "Posts Keyport published, newest first, optionally for one account.",
  scopes: ["posts:write", "accounts:read"],
  query: listPostsQuery,
  responses: { 200: { description: "A page of posts.", schema: postPageSchema, headers: rateHeaders } },
  problems: ["not_found", "invalid_request", "invalid_cursor"],
});

export const openApiDocument = defineOperation({
  operationId: "getOpenApiDocument",
  method: "GET",
  path: "/openapi.json",
  tag: "Reference",
  summary: "This OpenAPI document",
  description: "The OpenAPI 3.1 description of this API. No key needed.",
  scopes: null,
  responses: { 200: { description: "The document.", schema: z.record(z.string(), z.unknown()) } },
  problems: [],
});

export const previewPost = defineOperation({
  operationId: "previewPost",
  method: "POST",
  path: "/posts/preview",
  tag: "Posts",
  summary: "Weigh and price a post before publishing",
  description:
    "X's weighted length of the text and what X will bill for it, without publishing: a post containing a URL is billed as Content: Create with a URL, about 13 times a plain post. Sends nothing to X.",
  scopes: ["posts:write"],
  body: { schema: previewPostBody, required: true },
  responses: { 200: { description: "The weight and the cost.", schema: postPreviewSchema, headers: rateHeaders } },
  problems: ["unsupported_media_type", "payload_too_large", "invalid_json", "invalid_request"],
});

export const OPERATIONS: OperationSpec[] = [listBrands, listAccounts, getAccount, createConnectLink, appUsage, createPost, previewPost, listPostsOperation, openApiDocument];
