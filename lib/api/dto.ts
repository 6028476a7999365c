// lib/data results as the API's JSON: dates as RFC 3339 strings, nothing else added. The handler
// then checks each body against its documented schema, which drops anything undeclared.
import type { z } from "zod";
import type { ApiAccount } from "../data/api-accounts";
import type { PublishedPost } from "../posts/publish";
import type { accountSchema } from "./schemas/accounts";
import type { brandSchema } from "./schemas/brands";
import type { postSchema } from "./schemas/posts";

export function brandJson(b: { id: string; name: string; createdAt: Date }): z.input<typeof brandSchema> {
  return { id: b.id, name: b.name, createdAt: b.createdAt.toISOString() };
}

export function accountJson(a: ApiAccount): z.input<typeof accountSchema> {
  return {
    ...a,
    since: a.since?.toISOString() ?? null,
    connectedAt: a.connectedAt.toISOString(),
    lastCheck: a.lastCheck ? { at: a.lastCheck.at.toISOString(), result: a.lastCheck.result } : null,
    lastProvenAt: a.lastProvenAt?.toISOString() ?? null,
  };
}

export function postJson(p: PublishedPost): z.input<typeof postSchema> {
  return { ...p, createdAt: p.createdAt.toISOString() };
}
