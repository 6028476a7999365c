// The HTTP front: reads the request, applies injected faults, routes, logs (redacted), replies.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getUsersMe, postTweets } from "./api";
import { getAuthorize, postAuthorize } from "./authorize";
import { CONTROL_PREFIX, handleControl } from "./control";
import { headerValue, html, json, parseBody, problem, type Ctx, type Reply } from "./http";
import { avatarSvg } from "./pages";
import { postRevoke, postToken } from "./token";
import { REDACTED, redactAuthorization, redactLocation, redactQuery, redactValue, scrubSecrets } from "./redact";
import type { EmulatorState } from "./state";
import type { Fault, RequestLogEntry } from "./types";

const MAX_BODY = 1024 * 1024;

type Handler = (state: EmulatorState, ctx: Ctx) => Reply;
const ROUTES: Record<string, Handler> = {
  "GET /i/oauth2/authorize": getAuthorize,
  "POST /i/oauth2/authorize": postAuthorize,
  "POST /2/oauth2/token": postToken,
  "POST /2/oauth2/revoke": postRevoke,
  "GET /2/users/me": getUsersMe,
  "POST /2/tweets": postTweets,
  "GET /": () => html(200, `<!doctype html><title>X emulator</title><h1>X emulator</h1><p>Authorize at /i/oauth2/authorize, API at /2/…, control at ${CONTROL_PREFIX}/.</p>`),
};

export function createHandler(state: EmulatorState, options: { verbose?: boolean } = {}) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      await handle(state, req, res, options.verbose === true);
    } catch (error) {
      // Never echo the request: it may carry secrets.
      console.error(`[x-emulator] ${req.method} ${req.url?.split("?")[0]} failed: ${(error as Error).message}`);
      if (!res.headersSent) send(res, json(500, { title: "Internal Server Error", type: "about:blank", status: 500 }));
      else res.destroy();
    }
  };
}

async function handle(state: EmulatorState, req: IncomingMessage, res: ServerResponse, verbose: boolean) {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const method = (req.method ?? "GET").toUpperCase();
  const raw = await readBody(req);
  if (raw === null) return send(res, json(413, { title: "Payload Too Large", status: 413 }));
  const contentType = String(req.headers["content-type"] ?? "");
  const parsed = parseBody(contentType, raw);
  const ctx: Ctx = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody: raw,
    contentType,
    body: parsed.body,
    bodyInvalid: parsed.invalid,
    note: { clientId: null, grantType: null, billing: null },
  };

  // Only a request that names the control prefix literally reaches it: an X-bound path that
  // normalizes onto it (/2/../__emulator/reset) is an unknown X path, never an emulator command.
  const rawPath = (req.url ?? "/").split("?")[0]!.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "");
  if (isControlPath(ctx.path) && isControlPath(rawPath)) return send(res, handleControl(state, ctx));

  const fault = takeFault(state, method, ctx.path);
  if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  const faultKind = !fault ? null : fault.loseReply ? "lose-reply" : fault.status !== undefined ? "status" : "delay";
  const reply = faultKind === "status" ? faultReply(fault!) : route(state, ctx);

  const entry: Omit<RequestLogEntry, "id" | "at"> = {
    method,
    path: ctx.path,
    query: redactQuery(ctx.query),
    params: loggedParams(ctx),
    authorization: redactAuthorization(headerValue(ctx, "authorization")),
    clientId: ctx.note.clientId ?? ctx.query.get("client_id") ?? stringOrNull(ctx.body?.client_id),
    grantType: ctx.note.grantType,
    status: faultKind === "lose-reply" ? null : reply.status,
    location: redactLocation(reply.headers?.location),
    fault: fault && faultKind ? { id: fault.id, kind: faultKind } : null,
    billing: ctx.note.billing,
  };
  state.logRequest(scrubSecrets(entry, state.knownSecrets()));
  if (verbose) console.log(`[x-emulator] ${method} ${ctx.path} ${faultKind === "lose-reply" ? "(reply lost)" : reply.status}`);

  // The work is done (a code consumed, a token rotated) but the client never hears of it.
  if (faultKind === "lose-reply") return void req.socket.destroy();
  send(res, reply);
}

function route(state: EmulatorState, ctx: Ctx): Reply {
  const handler = ROUTES[`${ctx.method} ${ctx.path}`];
  if (handler) return handler(state, ctx);
  const avatar = /^\/profile_images\/(\d+)\/avatar_normal\.svg$/.exec(ctx.path);
  if (avatar && ctx.method === "GET") {
    const user = state.users.find((u) => u.id === avatar[1]);
    if (user) return { status: 200, body: avatarSvg(user.name), headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=3600" } };
  }
  return problem(404, { title: "Not Found Error", detail: "Sorry, that page does not exist.", type: "https://api.twitter.com/2/problems/resource-not-found", status: 404 });
}

function isControlPath(path: string): boolean {
  return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

function takeFault(state: EmulatorState, method: string, path: string): Fault | null {
  const fault = state.faults.find((f) => f.path === path && (!f.method || f.method === method));
  if (!fault) return null;
  fault.hits++;
  if (fault.times !== undefined && fault.hits >= fault.times) state.faults = state.faults.filter((f) => f !== fault);
  return fault;
}

function faultReply(fault: Fault): Reply {
  const headers = { ...fault.headers };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === "content-type");
  if (typeof fault.body === "string") return { status: fault.status!, body: fault.body, headers: hasType ? headers : { "content-type": "text/plain; charset=utf-8", ...headers } };
  const body = fault.body ?? { title: "Injected fault", status: fault.status };
  return { status: fault.status!, body, headers: hasType ? headers : { "content-type": "application/json; charset=utf-8", ...headers } };
}

function send(res: ServerResponse, reply: Reply) {
  const headers = { ...reply.headers };
  let payload = "";
  if (reply.body !== undefined) payload = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Form and JSON bodies are logged parameter by parameter, redacted by name. Any other body (a JSON
 * body sent as text/plain, say) was read as a form whose "names" may be whole secrets: its
 * parameters are not shown at all.
 */
function loggedParams(ctx: Ctx): Record<string, unknown> | null {
  if (!ctx.body) return null;
  const declared = /^application\/x-www-form-urlencoded\b/i.test(ctx.contentType.trim()) || /\bjson\b/i.test(ctx.contentType);
  if (!declared) return { "[body]": REDACTED };
  return redactValue(ctx.body) as Record<string, unknown>;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
