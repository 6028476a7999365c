// An API operation described once: path, method, required scope, and the zod schemas that both
// validate its requests and responses at run time and generate its OpenAPI entry. Route handlers
// are built from these (lib/api/handler.ts), so the document cannot drift from the code.
import type { z } from "zod";
import type { ApiScope } from "../validations/api-keys";
import type { ProblemCode } from "./problems";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type ResponseSpec = {
  description: string;
  schema: z.ZodType;
  headers?: Record<string, { description: string; schema: { type: "string" | "integer" } }>;
};

export type OperationSpec = {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path under /api/v1, with {param} placeholders (the route folder has [param]). */
  path: `/${string}`;
  tag: string;
  summary: string;
  description: string;
  /** A key needs one of these scopes; empty: any valid key; null: no key at all (public). */
  scopes: ApiScope[] | null;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the operation reads (documented as header parameters). */
  headers?: z.ZodObject;
  body?: { schema: z.ZodType; required: boolean };
  responses: Record<number, ResponseSpec>;
  /** Problem codes this operation answers beyond those every authenticated operation can. */
  problems: ProblemCode[];
};

/** The problems every operation behind a key can answer. */
export const KEYED_PROBLEMS: ProblemCode[] = ["unauthenticated", "invalid_api_key", "api_key_revoked", "api_key_expired", "insufficient_scope", "rate_limited", "internal_error"];
/** And those every operation with a JSON body can answer. */
export const BODY_PROBLEMS: ProblemCode[] = ["unsupported_media_type", "payload_too_large", "invalid_json", "invalid_request"];

export function defineOperation<const T extends OperationSpec>(spec: T): T {
  return spec;
}
