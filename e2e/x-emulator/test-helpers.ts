// Shared by the emulator's own tests: one emulator per file on a random port, reset before each
// test, and the few client steps (PKCE, Basic, token calls) written out by hand so that the tests
// check the wire format rather than a library's idea of it.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startXEmulator, type XEmulator } from "./index";

export const SANDBOX = {
  clientId: "S2V5cG9ydFNhbmRib3gwZGVtbzE6MTpjaQ",
  clientSecret: "sandbox-DEMO-ONLY_not_a_real_X_secret-Kp4010x7Qw2Z",
  redirectUri: "http://127.0.0.1:3000/api/integrations/twitter/callback",
};
export const PUBLIC_CLIENT_ID = "S2V5cG9ydFNhbmRib3hTcGEwMDE6MTpuYQ";
export const USERS = { ada: "1790000000000000001", blue: "1790000000000000002", north: "1790000000000000003" };
export const KEYPORT_SCOPES = "tweet.read tweet.write tweet.moderate.write users.read dm.read dm.write like.write offline.access";

/** Starts one emulator for the file; `get()` returns it inside tests. */
export function sharedEmulator(): () => XEmulator {
  let emulator: XEmulator | undefined;
  beforeAll(async () => {
    emulator = await startXEmulator({ port: 0 });
  });
  afterAll(async () => emulator?.close());
  beforeEach(async () => emulator?.control.reset());
  return () => emulator!;
}

export function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
}

export type WireResponse = { status: number; body: unknown; text: string; headers: Headers };

export async function post(
  url: string,
  params: Record<string, string>,
  options: { authorization?: string | null; json?: boolean; query?: boolean } = {},
): Promise<WireResponse> {
  const headers: Record<string, string> = {};
  if (options.authorization) headers.authorization = options.authorization;
  let body: string | undefined;
  let target = url;
  if (options.query) target = `${url}?${new URLSearchParams(params)}`;
  else if (options.json) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(params);
  } else {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(params).toString();
  }
  const response = await fetch(target, { method: "POST", headers, body, redirect: "manual" });
  return wire(response);
}

export async function wire(response: Response): Promise<WireResponse> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // HTML or empty
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** The token endpoint with the sandbox app's Basic credentials unless told otherwise. */
export function token(emulator: XEmulator, params: Record<string, string>, options: Parameters<typeof post>[2] = {}) {
  const authorization = options.authorization === undefined ? basic(SANDBOX.clientId, SANDBOX.clientSecret) : options.authorization;
  return post(`${emulator.apiBaseUrl}/2/oauth2/token`, params, { ...options, authorization });
}

export function revoke(emulator: XEmulator, params: Record<string, string>, options: Parameters<typeof post>[2] = {}) {
  const authorization = options.authorization === undefined ? basic(SANDBOX.clientId, SANDBOX.clientSecret) : options.authorization;
  return post(`${emulator.apiBaseUrl}/2/oauth2/revoke`, params, { ...options, authorization });
}

/** A fresh code for the sandbox app through the control API's authorize-direct. */
export async function getCode(
  emulator: XEmulator,
  options: { scope?: string; method?: string; userId?: string; clientId?: string; redirectUri?: string } = {},
) {
  const { verifier, challenge } = pkce();
  const method = options.method ?? "S256";
  const result = await emulator.control.authorizeDirect({
    clientId: options.clientId ?? SANDBOX.clientId,
    redirectUri: options.redirectUri ?? SANDBOX.redirectUri,
    scope: options.scope ?? KEYPORT_SCOPES,
    state: "state-123",
    codeChallenge: method === "plain" ? verifier : challenge,
    method,
    userId: options.userId,
  });
  return { code: result.code!, verifier, redirectUri: options.redirectUri ?? SANDBOX.redirectUri };
}

export type Tokens = { token_type: string; expires_in: number; access_token: string; scope: string; refresh_token?: string };

/** Authorize and exchange in one go; returns the token response body. */
export async function connect(
  emulator: XEmulator,
  options: Parameters<typeof getCode>[1] & { clientSecret?: string } = {},
): Promise<Tokens> {
  const { code, verifier, redirectUri } = await getCode(emulator, options);
  const authorization = options.clientId ? basic(options.clientId, options.clientSecret ?? "") : undefined;
  const response = await token(emulator, { grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier }, { authorization });
  if (response.status !== 200) throw new Error(`token exchange failed: ${response.text}`);
  return response.body as Tokens;
}

export function bearer(emulator: XEmulator, path: string, accessToken: string, init: RequestInit = {}) {
  return fetch(`${emulator.apiBaseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${accessToken}`, ...(init.headers as Record<string, string> | undefined) },
  }).then(wire);
}

export function tweet(emulator: XEmulator, accessToken: string, body: unknown) {
  return bearer(emulator, "/2/tweets", accessToken, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
