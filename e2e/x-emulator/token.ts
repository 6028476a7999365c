// POST /2/oauth2/token and /2/oauth2/revoke, contract §4 and §5. Checked in X's order: client
// authentication, then grant_type, then missing parameters, then the code, verifier and redirect.
import { basicAuth, json, oauthParams, type Ctx, type Reply } from "./http";
import { s256 } from "./ids";
import type { EmulatorState } from "./state";
import type { EmulatorApp } from "./types";

const AUTH_DESCRIPTION = "Missing valid authorization header";
export const TOKEN_ERRORS = {
  code: "Value passed for the authorization code was invalid.",
  verifier: "Value passed for the code verifier did not match the code challenge.",
  redirect: "Value passed for the redirect uri did not match the uri of the authorization code.",
  grantType: "Value passed for the grant type was invalid. Grant type should be one of [authorization_code, refresh_token].",
  token: "Value passed for the token was invalid.",
  missing: (name: string) => `Missing required parameter [${name}].`,
};

export function postToken(state: EmulatorState, ctx: Ctx): Reply {
  const params = oauthParams(ctx);
  ctx.note.grantType = params.get("grant_type") ?? null;
  const client = authenticateClient(state, ctx, params);
  if (!client.ok) return client.reply;
  const app = client.app;

  const grantType = params.get("grant_type");
  if (!grantType) return invalidRequest(TOKEN_ERRORS.missing("grant_type"));
  if (grantType !== "authorization_code" && grantType !== "refresh_token") return invalidRequest(TOKEN_ERRORS.grantType);
  if (state.switches.requireClientIdInBody && !params.get("client_id")) return invalidRequest(TOKEN_ERRORS.missing("client_id"));
  return grantType === "authorization_code" ? exchangeCode(state, app, params) : refresh(state, app, params);
}

export function postRevoke(state: EmulatorState, ctx: Ctx): Reply {
  const params = oauthParams(ctx);
  const client = authenticateClient(state, ctx, params);
  if (!client.ok) return client.reply;
  if (!params.get("token_type_hint")) return invalidRequest(TOKEN_ERRORS.missing("token_type_hint"));
  const value = params.get("token");
  if (!value) return invalidRequest(TOKEN_ERRORS.missing("token"));
  const token = state.tokens.get(value);
  const grant = token && state.grants.get(token.grantId);
  // Unknown, foreign or already revoked tokens still answer revoked:true.
  if (token && grant && grant.clientId === client.app.clientId) {
    if (state.switches.revokeEndsGrant) state.revokeGrant(grant.id);
    else token.revoked = true;
  }
  return json(200, { revoked: true });
}

function exchangeCode(state: EmulatorState, app: EmulatorApp, params: Map<string, string>): Reply {
  for (const name of ["code", "redirect_uri", "code_verifier"]) {
    if (!params.get(name)) return invalidRequest(TOKEN_ERRORS.missing(name));
  }
  const code = state.codes.get(params.get("code")!);
  if (!code || code.used || state.now() >= code.expiresAtMs || code.clientId !== app.clientId) {
    return invalidRequest(TOKEN_ERRORS.code);
  }
  const verifier = params.get("code_verifier")!;
  const expected = code.method === "plain" ? verifier : s256(verifier);
  if (expected !== code.challenge) return invalidRequest(TOKEN_ERRORS.verifier);
  if (params.get("redirect_uri") !== code.redirectUri) return invalidRequest(TOKEN_ERRORS.redirect);
  code.used = true;
  const grant = state.createGrant(app.clientId, code.userId, code.scopes, code.permission);
  return tokenResponse(state, grant);
}

function refresh(state: EmulatorState, app: EmulatorApp, params: Map<string, string>): Reply {
  const value = params.get("refresh_token");
  if (!value) return invalidRequest(TOKEN_ERRORS.missing("refresh_token"));
  const token = state.tokens.get(value);
  const grant = token && state.grants.get(token.grantId);
  if (!token || token.kind !== "refresh" || !grant || grant.clientId !== app.clientId) return invalidRequest(TOKEN_ERRORS.token);
  if (token.rotated) {
    // A replayed refresh token suggests theft: X may end the whole grant.
    if (state.switches.reuseRevokesFamily) state.revokeGrant(grant.id);
    return invalidRequest(TOKEN_ERRORS.token);
  }
  if (token.revoked || grant.revoked || state.now() >= token.expiresAtMs) return invalidRequest(TOKEN_ERRORS.token);
  token.rotated = true;
  return tokenResponse(state, grant);
}

function tokenResponse(state: EmulatorState, grant: Parameters<EmulatorState["issueTokens"]>[0]): Reply {
  const { access, refresh: refreshToken } = state.issueTokens(grant);
  // Key order as X sends it.
  const body: Record<string, unknown> = {
    token_type: "bearer",
    expires_in: state.switches.accessTokenTtlSeconds,
    access_token: access.value,
    scope: grant.scopes.join(" "),
  };
  if (refreshToken) body.refresh_token = refreshToken.value;
  return json(200, body);
}

type ClientAuth = { ok: true; app: EmulatorApp } | { ok: false; reply: Reply };

/**
 * Confidential clients must use Basic; a secret only in the body is refused. Public clients send
 * client_id (body or Basic with an empty password) and no secret.
 */
function authenticateClient(state: EmulatorState, ctx: Ctx, params: Map<string, string>): ClientAuth {
  const unauthorized: ClientAuth = { ok: false, reply: json(401, { error: "unauthorized_client", error_description: AUTH_DESCRIPTION }) };
  const unknown: ClientAuth = { ok: false, reply: json(401, { error: state.switches.unknownClientError, error_description: AUTH_DESCRIPTION }) };
  const bodyClientId = params.get("client_id");
  const auth = basicAuth(ctx);
  if (auth.kind === "malformed") return unauthorized;
  const clientId = auth.kind === "basic" ? auth.clientId : bodyClientId;
  if (!clientId) return unauthorized;
  ctx.note.clientId = clientId;
  const app = state.apps.get(clientId);
  // Without OAuth 2.0 set up, the portal shows no client id: the same as an unknown one.
  if (!app || !app.oauth2Enabled) return unknown;
  if (auth.kind === "basic") {
    if (bodyClientId && bodyClientId !== auth.clientId) return unauthorized;
    if (app.type === "confidential" ? auth.secret !== app.clientSecret : auth.secret !== "") return unauthorized;
    return { ok: true, app };
  }
  return app.type === "public" ? { ok: true, app } : unauthorized;
}

function invalidRequest(description: string): Reply {
  return json(400, { error: "invalid_request", error_description: description });
}
