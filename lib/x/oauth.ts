// X's OAuth 2.0 endpoints (contract §3–§5) through oauth4webapi: authorize URL, code exchange,
// refresh, revoke and the credentials probe. Returns outcomes instead of throwing, so callers
// decide what a failure means (see errors.ts). Knows nothing of Next or the database.
import * as oauth from "oauth4webapi";
import { classifyTokenError, NO_REPLY, rateLimitReset, readOAuthError, transientFromError, type TokenFailure } from "./errors";
import type { XEndpoints } from "./endpoints";
import { parseScopes, SCOPE_PARAM } from "./scopes";

export type XClient = { clientId: string; clientSecret: string };
export type TokenSet = { accessToken: string; refreshToken: string | null; expiresIn: number; scopes: string[] };
export type TokenOutcome = { ok: true; tokens: TokenSet } | { ok: false; failure: TokenFailure };

export function newPkce() {
  const verifier = oauth.generateRandomCodeVerifier(); // 32 random bytes, base64url
  return { verifier, state: oauth.generateRandomState() };
}

export async function buildAuthorizeUrl(endpoints: XEndpoints, input: { clientId: string; redirectUri: string; state: string; verifier: string; scope?: string }) {
  const url = new URL(endpoints.authorizeUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("scope", input.scope ?? SCOPE_PARAM);
  url.searchParams.set("state", input.state);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(input.verifier));
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

export async function exchangeCode(
  endpoints: XEndpoints,
  client: XClient,
  input: { code: string; state: string; redirectUri: string; verifier: string },
): Promise<TokenOutcome> {
  const { as, oauthClient, options } = setup(endpoints, client);
  return tokenCall(as, oauthClient, async () => {
    const params = oauth.validateAuthResponse(as, oauthClient, new URLSearchParams({ code: input.code, state: input.state }), input.state);
    // client_id in the body as well as in Basic: X accepts both and may require it (contract §4).
    return oauth.authorizationCodeGrantRequest(as, oauthClient, oauth.ClientSecretBasic(client.clientSecret), params, input.redirectUri, input.verifier, {
      ...options,
      additionalParameters: { client_id: client.clientId },
    });
  });
}

export async function refreshTokens(endpoints: XEndpoints, client: XClient, refreshToken: string): Promise<TokenOutcome> {
  const { as, oauthClient, options } = setup(endpoints, client);
  return tokenCall(as, oauthClient, () =>
    oauth.refreshTokenGrantRequest(as, oauthClient, oauth.ClientSecretBasic(client.clientSecret), refreshToken, {
      ...options,
      additionalParameters: { client_id: client.clientId },
    }),
  );
}

export type RevokeOutcome = { ok: true } | { ok: false; failure: TokenFailure };

export async function revokeToken(
  endpoints: XEndpoints,
  client: XClient,
  token: string,
  hint: "access_token" | "refresh_token",
): Promise<RevokeOutcome> {
  const { as, oauthClient, options } = setup(endpoints, client);
  try {
    const response = await oauth.revocationRequest(as, oauthClient, oauth.ClientSecretBasic(client.clientSecret), token, {
      ...options,
      additionalParameters: { token_type_hint: hint, client_id: client.clientId },
    });
    if (response.status === 200) return { ok: true };
    return { ok: false, failure: classifyTokenError(response.status, await safeJson(response)) };
  } catch (error) {
    return { ok: false, failure: transientFromError(error) };
  }
}

export type ProbeResult =
  | { status: "valid" }
  | { status: "invalid"; error: string }
  | { status: "inconclusive"; reason: string; httpStatus?: number };

/**
 * "Test credentials" without a user: X checks client authentication before the code (contract
 * §4), so a made-up code answers 400 about the code (or redirect uri) for a valid client and
 * 401 for a wrong or unknown one. Every other answer is inconclusive, never "invalid".
 */
export async function probeCredentials(endpoints: XEndpoints, client: XClient, redirectUri: string): Promise<ProbeResult> {
  const { as, oauthClient, options } = setup(endpoints, client);
  let response: Response;
  try {
    response = await oauth.genericTokenEndpointRequest(
      as,
      oauthClient,
      oauth.ClientSecretBasic(client.clientSecret),
      "authorization_code",
      { code: `keyport-probe-${oauth.generateRandomState()}`, redirect_uri: redirectUri, code_verifier: oauth.generateRandomCodeVerifier(), client_id: client.clientId },
      options,
    );
  } catch (error) {
    return { status: "inconclusive", reason: transientFromError(error).reason };
  }
  const body = await safeJson(response);
  const failure = classifyTokenError(response.status, body);
  if (failure.kind === "app-credentials") return { status: "invalid", error: failure.error };
  const error = readOAuthError(body)?.error;
  // RFC 6749 §5.2: a server that could not authenticate the client answers invalid_client (400
  // or 401); so any invalid_grant — whatever its status or description — proves it did.
  if (error === "invalid_client" && response.status >= 400 && response.status < 500) return { status: "invalid", error };
  if (error === "invalid_grant") return { status: "valid" };
  if (failure.kind === "grant" && /authorization code|redirect uri|code verifier/i.test(failure.description)) return { status: "valid" };
  if (failure.kind === "transient") return { status: "inconclusive", reason: failure.reason, httpStatus: response.status };
  return { status: "inconclusive", reason: "unexpected", httpStatus: response.status };
}

function setup(endpoints: XEndpoints, client: XClient) {
  const as: oauth.AuthorizationServer = {
    issuer: endpoints.apiBaseUrl,
    token_endpoint: `${endpoints.apiBaseUrl}/2/oauth2/token`,
    revocation_endpoint: `${endpoints.apiBaseUrl}/2/oauth2/revoke`,
  };
  const oauthClient: oauth.Client = { client_id: client.clientId };
  const options = {
    signal: AbortSignal.timeout(endpoints.timeoutMs),
    // Only the emulator is plain http (127.0.0.1); X itself is https.
    [oauth.allowInsecureRequests]: endpoints.apiBaseUrl.startsWith("http:"),
  };
  return { as, oauthClient, options };
}

async function tokenCall(as: oauth.AuthorizationServer, client: oauth.Client, request: () => Promise<Response>): Promise<TokenOutcome> {
  let response: Response;
  try {
    response = await request();
  } catch (error) {
    return { ok: false, failure: transientFromError(error) };
  }
  if (response.status !== 200) {
    const failure = classifyTokenError(response.status, await safeJson(response));
    // A 429 says when X will take calls again; the caller postpones this grant and app until then.
    if (failure.kind === "transient" && response.status === 429) return { ok: false, failure: { ...failure, retryAt: rateLimitReset(response.headers) } };
    return { ok: false, failure };
  }
  try {
    const body = await oauth.processGenericTokenEndpointResponse(as, client, response);
    return {
      ok: true,
      tokens: {
        accessToken: body.access_token,
        refreshToken: body.refresh_token ?? null,
        expiresIn: typeof body.expires_in === "number" ? body.expires_in : 7200,
        scopes: parseScopes(body.scope),
      },
    };
  } catch (error) {
    // A 200 we cannot read (or a body cut off mid-way) is not the grant's fault.
    const network = transientFromError(error);
    return { ok: false, failure: network.reason === "timeout" ? network : { kind: "transient", reason: "unexpected", status: 200, xError: `${NO_REPLY}: 200 with an unreadable body` } };
  }
}

async function safeJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}
