// Turns an OperationSpec and a function into a route handler: API-key authentication, per-key
// rate limiting, scope check, parsing of path, query, headers and JSON body with the spec's zod
// schemas, and a response checked against the documented schema (which also strips any field
// the DTO didn't declare, so nothing undeclared — a token least of all — can leave). Every
// failure is a problem+json answer; unexpected errors are logged by name with a request id.
import "server-only";
import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { lookupApiKey, recordRefusedKeyUse, touchApiKey, type ApiKeyPrincipal } from "../data/api-keys";
import { looksLikeApiKey } from "./key-format";
import type { HttpMethod, OperationSpec } from "./operation";
import { problem } from "./problem-response";
import type { InvalidParam } from "./problems";
import { rateLimitHeaders, takeApiRequest } from "./rate-limit";

export const MAX_BODY_BYTES = 16 * 1024;

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

export type HandlerContext<S extends OperationSpec> = {
  key: S["scopes"] extends null ? null : ApiKeyPrincipal;
  params: Out<S["params"]>;
  query: Out<S["query"]>;
  headers: Out<S["headers"]>;
  body: S["body"] extends { schema: infer B } ? Out<B> : undefined;
  request: NextRequest;
  requestId: string;
};

/** What a handler answers: a documented status and its body, or a ready Response (a problem). */
export type Reply = { status: number; body: unknown; headers?: Record<string, string> } | Response;

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type ApiRouteHandler = ((request: NextRequest, context: RouteContext) => Promise<Response>) & { operation?: OperationSpec; notAllowed?: true };

export function apiHandler<const S extends OperationSpec>(spec: S, run: (ctx: HandlerContext<S>) => Promise<Reply>): ApiRouteHandler {
  const handler = async (request: NextRequest, context: RouteContext): Promise<Response> => {
    const requestId = randomUUID();
    const extra: Record<string, string> = { "X-Request-Id": requestId };
    try {
      let key: ApiKeyPrincipal | null = null;
      if (spec.scopes !== null) {
        const auth = await authenticate(request, spec.scopes);
        Object.assign(extra, auth.headers);
        if (!auth.ok) return withHeaders(auth.response, extra);
        key = auth.key;
      }
      const params = spec.params ? spec.params.safeParse(await context.params) : null;
      // An id that can't exist names nothing: not found, rather than a validation lecture.
      if (params && !params.success) return withHeaders(problem("not_found", "Nothing exists at this path."), extra);
      const query = spec.query ? spec.query.safeParse(Object.fromEntries(request.nextUrl.searchParams)) : null;
      if (query && !query.success) return withHeaders(invalid("query", query.error), extra);
      const headers = spec.headers ? spec.headers.safeParse(headerValues(request, spec.headers)) : null;
      if (headers && !headers.success) return withHeaders(invalid("header", headers.error), extra);
      let body: unknown = undefined;
      if (spec.body) {
        const read = await readJsonBody(request, spec.body.required);
        if (!read.ok) return withHeaders(read.response, extra);
        const parsed = spec.body.schema.safeParse(read.value ?? {});
        if (!parsed.success) return withHeaders(invalid("body", parsed.error), extra);
        body = parsed.data;
      }
      const reply = await run({ key, params: params?.data, query: query?.data, headers: headers?.data, body, request, requestId } as HandlerContext<S>);
      if (reply instanceof Response) return withHeaders(reply, extra);
      const documented = spec.responses[reply.status];
      if (!documented) throw new ContractError(`answered undocumented status ${reply.status}`);
      const checked = documented.schema.safeParse(reply.body);
      if (!checked.success) throw new ContractError(`answered a body that does not match its schema at ${checked.error.issues[0]?.path.join(".")}`);
      return new Response(JSON.stringify(checked.data), {
        status: reply.status,
        headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...extra, ...reply.headers },
      });
    } catch (error) {
      // The name and our own message only: a driver's message could quote query values.
      console.error(`[api] ${requestId} ${spec.operationId} failed: ${(error as Error)?.name ?? "Error"}${error instanceof ContractError ? ` (${error.message})` : ""}`);
      return withHeaders(problem("internal_error", `Something went wrong inside Keyport. Quote request id ${requestId} when reporting it.`), extra);
    }
  };
  return Object.assign(handler, { operation: spec });
}

/** Handlers for the methods a path does not support: 405 with Allow, as problem+json. */
export function otherMethods(...allowed: HttpMethod[]): Record<HttpMethod, ApiRouteHandler> {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  return everyMethod(async (request) => problem("method_not_allowed", `${request.method} is not supported here. Allowed: ${allow}.`, { headers: { Allow: allow } }));
}

/** For every path under /api/v1 that has no route: 404 whatever the method. */
export function unknownPath(): Record<HttpMethod, ApiRouteHandler> {
  return everyMethod(async () => problem("not_found", "There is no API operation at this path. See /api/v1/openapi.json."));
}

function everyMethod(answer: (request: NextRequest) => Promise<Response>): Record<HttpMethod, ApiRouteHandler> {
  const handler: ApiRouteHandler = Object.assign((request: NextRequest) => answer(request), { notAllowed: true as const });
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}

/** A handler broke its own documented contract: a bug of ours, logged with what went wrong. */
class ContractError extends Error {
  override name = "ContractError";
}

type AuthOutcome = { ok: true; key: ApiKeyPrincipal; headers: Record<string, string> } | { ok: false; response: Response; headers: Record<string, string> };

async function authenticate(request: NextRequest, scopes: readonly string[]): Promise<AuthOutcome> {
  const header = request.headers.get("authorization");
  const challenge = 'Bearer realm="keyport-api"';
  if (!header) {
    return { ok: false, headers: {}, response: problem("unauthenticated", "Send the key as Authorization: Bearer kp_live_…. Sessions and cookies are not accepted by the API.", { headers: { "WWW-Authenticate": challenge } }) };
  }
  const presented = /^Bearer +(\S+) *$/i.exec(header)?.[1];
  const invalidKey = () => problem("invalid_api_key", "That is not a valid Keyport API key.", { headers: { "WWW-Authenticate": `${challenge}, error="invalid_token"` } });
  if (!presented || !looksLikeApiKey(presented)) return { ok: false, headers: {}, response: invalidKey() };
  const found = await lookupApiKey(presented);
  if (found.status === "unknown") return { ok: false, headers: {}, response: invalidKey() };

  const rate = await takeApiRequest(found.key.id);
  if (found.status !== "active") {
    // Each refused use is audited, within the key's own request budget: a script hammering with a
    // revoked key cannot flood the audit log.
    if (rate.allowed) await recordRefusedKeyUse(found.key, found.status, { method: request.method, path: request.nextUrl.pathname });
    const code = found.status === "revoked" ? "api_key_revoked" : "api_key_expired";
    const detail = found.status === "revoked" ? `The key ${found.key.display} was revoked. Create a new key in Settings → API keys.` : `The key ${found.key.display} has expired. Create a new key in Settings → API keys.`;
    return { ok: false, headers: {}, response: problem(code, detail, { headers: { "WWW-Authenticate": `${challenge}, error="invalid_token"` } }) };
  }
  const headers = rateLimitHeaders(rate);
  if (!rate.allowed) {
    return { ok: false, headers, response: problem("rate_limited", `This key may make ${rate.limit} requests per minute. Try again in ${rate.resetSeconds} s.`, { retryAfterSeconds: rate.resetSeconds }) };
  }
  await touchApiKey(found.key, found.lastUsedAt);
  if (scopes.length > 0 && !scopes.some((s) => found.key.scopes.includes(s as never))) {
    const needed = scopes.join(" or ");
    return {
      ok: false,
      headers,
      response: problem("insufficient_scope", `This operation needs a key with the ${needed} permission; this key has ${found.key.scopes.join(", ") || "none"}.`, {
        scope: scopes.join(" "),
        headers: { "WWW-Authenticate": `${challenge}, error="insufficient_scope", scope="${scopes.join(" ")}"` },
      }),
    };
  }
  return { ok: true, key: found.key, headers };
}

async function readJsonBody(request: NextRequest, required: boolean): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const length = request.headers.get("content-length");
  const type = request.headers.get("content-type");
  if (request.body === null || length === "0") {
    if (required) return { ok: false, response: problem("invalid_request", "This operation needs a JSON request body.", { errors: [{ location: "body", name: "", detail: "Missing." }] }) };
    return { ok: true, value: undefined };
  }
  if (!type || !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    return { ok: false, response: problem("unsupported_media_type", `Send the body as JSON with Content-Type: application/json${type ? ` (got ${type.slice(0, 60)})` : ""}.`, { headers: { "Accept-Post": "application/json" } }) };
  }
  if (length && Number(length) > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, response: tooLarge() };
    }
    chunks.push(value);
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) {
    if (required) return { ok: false, response: problem("invalid_request", "This operation needs a JSON request body.", { errors: [{ location: "body", name: "", detail: "Missing." }] }) };
    return { ok: true, value: undefined };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, response: problem("invalid_json", "The body is not valid UTF-8.") };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: problem("invalid_json", "The body is not valid JSON.") };
  }
}

function tooLarge() {
  return problem("payload_too_large", `Request bodies may be at most ${MAX_BODY_BYTES} bytes.`);
}

function invalid(location: InvalidParam["location"], error: z.ZodError) {
  const errors: InvalidParam[] = error.issues.slice(0, 20).map((issue) => ({ location, name: issue.path.join("."), detail: issue.message }));
  const first = errors[0]!;
  const where = location === "body" ? "body field" : `${location} parameter`;
  return problem("invalid_request", first.name ? `The ${where} “${first.name}” is invalid: ${first.detail}` : `The ${location} is invalid: ${first.detail}`, { errors });
}

function headerValues(request: NextRequest, schema: z.ZodObject) {
  return Object.fromEntries(Object.keys(schema.shape).flatMap((name) => {
    const value = request.headers.get(name);
    return value === null ? [] : [[name, value]];
  }));
}

function withHeaders(response: Response, headers: Record<string, string>) {
  for (const [name, value] of Object.entries(headers)) if (!response.headers.has(name)) response.headers.set(name, value);
  return response;
}
