// The control API under /__emulator/: what tests and the demo use to play the developer portal,
// the X user, the passage of time, the network and X's billing. JSON in, JSON out; 400 {error} on bad input.
import { ValidationError } from "./apps";
import { checkAuthorizeRequest, decide } from "./authorize";
import { json, type Ctx, type Reply } from "./http";
import { newNonce } from "./ids";
import type { EmulatorState } from "./state";
import type { AuthorizeDirectInput, FaultInput } from "./types";

export const CONTROL_PREFIX = "/__emulator";

type Route = { method: string; pattern: RegExp; handle: (state: EmulatorState, body: Record<string, unknown>, match: string[], ctx: Ctx) => Reply };

const routes: Route[] = [
  route("GET", "/health", () => json(200, { ok: true })),
  route("GET", "/switches", (s) => json(200, s.switches)),
  route("PUT", "/switches", (s, body) => json(200, s.setSwitches(body))),
  route("GET", "/apps", (s) => json(200, [...s.apps.values()])),
  route("POST", "/apps", (s, body) => json(201, s.createApp(body as never))),
  route("GET", "/apps/([^/]+)", (s, _b, [id]) => json(200, s.requireApp(id!))),
  route("PATCH", "/apps/([^/]+)", (s, body, [id]) => json(200, s.updateApp(id!, body))),
  route("DELETE", "/apps/([^/]+)", (s, _b, [id]) => (s.deleteApp(id!), json(200, { deleted: true }))),
  route("POST", "/apps/([^/]+)/regenerate-secret", (s, _b, [id]) => json(200, { clientSecret: s.regenerateSecret(id!) })),
  route("GET", "/users", (s) => json(200, s.users)),
  route("POST", "/users", (s, body) => json(201, s.createUser(body as never))),
  route("PUT", "/signed-in-user", (s, body) => {
    const wanted = body.user;
    if (wanted !== null && (typeof wanted !== "string" || !s.findUser(wanted))) throw new ValidationError("user must be a known id or username, or null");
    s.signedInUser = wanted === null ? null : s.findUser(wanted)!.id;
    return json(200, { user: s.signedInUser });
  }),
  route("GET", "/grants", (s, _b, _m, ctx) => json(200, s.grantSummaries({ clientId: ctx.query.get("clientId") ?? undefined, userId: ctx.query.get("userId") ?? undefined }))),
  route("POST", "/grants/revoke", (s, body) => {
    const clientId = requireString(body, "clientId");
    const userId = requireString(body, "userId");
    const user = s.findUser(userId);
    return json(200, { revoked: s.revokeGrants((g) => g.clientId === clientId && g.userId === (user?.id ?? userId)) });
  }),
  route("GET", "/clock", (s) => json(200, s.clock())),
  route("POST", "/clock/advance", (s, body) => json(200, s.advanceClock(body.seconds as number))),
  route("GET", "/faults", (s) => json(200, s.faults)),
  route("POST", "/faults", (s, body) => {
    const fault = { ...validateFault(body), id: newNonce().slice(0, 10), hits: 0 };
    s.faults.push(fault);
    return json(201, fault);
  }),
  route("DELETE", "/faults", (s) => ((s.faults = []), json(200, { cleared: true }))),
  route("DELETE", "/faults/([^/]+)", (s, _b, [id]) => ((s.faults = s.faults.filter((f) => f.id !== id)), json(200, { cleared: true }))),
  route("GET", "/requests", (s, _b, _m, ctx) => {
    const method = ctx.query.get("method")?.toUpperCase();
    const path = ctx.query.get("path");
    const clientId = ctx.query.get("clientId");
    return json(200, s.requests.filter((r) => (!method || r.method === method) && (!path || r.path === path) && (!clientId || r.clientId === clientId)));
  }),
  route("DELETE", "/requests", (s) => ((s.requests = []), json(200, { cleared: true }))),
  route("GET", "/tweets", (s, _b, _m, ctx) => json(200, s.tweets.filter((t) => !ctx.query.get("userId") || t.userId === ctx.query.get("userId")))),
  route("GET", "/prices", (s) => json(200, s.billing.priceList())),
  route("PUT", "/prices", (s, body) => json(200, s.billing.setPrices(body))),
  route("GET", "/costs", (s, _b, _m, ctx) => json(200, s.billing.report([...s.apps.values()], ctx.query.get("clientId") ?? undefined))),
  route("DELETE", "/costs", (s) => (s.billing.clearCounters(), json(200, { cleared: true }))),
  route("POST", "/authorize-direct", (s, body) => authorizeDirect(s, body as unknown as AuthorizeDirectInput)),
  route("POST", "/reset", (s) => (s.reset(), json(200, { reset: true }))),
];

export function handleControl(state: EmulatorState, ctx: Ctx): Reply {
  const sub = ctx.path.slice(CONTROL_PREFIX.length) || "/";
  const candidates = routes.filter((r) => r.pattern.test(sub));
  const found = candidates.find((r) => r.method === ctx.method);
  if (!found) return json(candidates.length ? 405 : 404, { error: candidates.length ? "method not allowed" : "no such control route" });
  if (ctx.bodyInvalid) return json(400, { error: "body must be a JSON object" });
  try {
    const match = found.pattern.exec(sub)!.slice(1).map(decodeURIComponent);
    return found.handle(state, ctx.body ?? {}, match, ctx);
  } catch (error) {
    if (error instanceof ValidationError) return json(400, { error: error.message });
    throw error;
  }
}

/** The consent decision without a browser: the same checks as the page, then the redirect Location. */
function authorizeDirect(state: EmulatorState, input: AuthorizeDirectInput): Reply {
  const scope = Array.isArray(input.scope) ? input.scope.join(" ") : input.scope;
  const params = new URLSearchParams();
  const set = (k: string, v: unknown) => typeof v === "string" && params.set(k, v);
  set("response_type", "code");
  set("client_id", input.clientId);
  set("redirect_uri", input.redirectUri);
  set("scope", scope);
  set("state", input.state);
  set("code_challenge", input.codeChallenge);
  set("code_challenge_method", input.method ?? "S256");
  const check = checkAuthorizeRequest(state, params);
  if (!check.ok) return json(400, { error: "something_went_wrong", reason: check.reason });
  const result = decide(state, check.request, input.userId, input.deny === true);
  if (!result.ok) return json(400, { error: "something_went_wrong", reason: result.reason });
  const query = new URL(result.location).searchParams;
  return json(200, { location: result.location, code: query.get("code"), state: query.get("state"), error: query.get("error") });
}

function validateFault(body: Record<string, unknown>): FaultInput {
  const fault = body as FaultInput;
  if (typeof fault.path !== "string" || !fault.path.startsWith("/")) throw new ValidationError("fault.path must be a path such as /2/oauth2/token");
  if (fault.path.startsWith(CONTROL_PREFIX)) throw new ValidationError("the control API cannot be faulted");
  if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) throw new ValidationError("fault.status must be an HTTP status");
  if (fault.delayMs !== undefined && !(typeof fault.delayMs === "number" && fault.delayMs >= 0)) throw new ValidationError("fault.delayMs must be >= 0");
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times > 0)) throw new ValidationError("fault.times must be a positive integer");
  if (fault.status === undefined && fault.delayMs === undefined && !fault.loseReply) throw new ValidationError("a fault needs status, delayMs or loseReply");
  return {
    method: fault.method?.toUpperCase(),
    path: fault.path,
    status: fault.status,
    body: fault.body,
    headers: fault.headers,
    delayMs: fault.delayMs,
    loseReply: fault.loseReply === true,
    times: fault.times,
  };
}

function route(method: string, path: string, handle: Route["handle"]): Route {
  return { method, pattern: new RegExp(`^${path}$`), handle };
}

function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== "string" || !value) throw new ValidationError(`${key} is required`);
  return value;
}
