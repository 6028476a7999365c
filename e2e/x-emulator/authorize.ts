// GET /i/oauth2/authorize shows consent (or X's dead-end page, never a redirect, for any bad
// parameter); the consent form POSTs back here and the decision becomes a 302 to the client.
import { html, redirect, type Ctx, type Reply } from "./http";
import { newNonce, newOpaque } from "./ids";
import { consentPage, somethingWentWrongPage } from "./pages";
import { parseScopes, splitByPermission } from "./scopes";
import type { EmulatorState, PendingConsent } from "./state";
import type { EmulatorApp } from "./types";

const METHODS = ["S256", "s256", "plain"];
const MAX_STATE = 500;

type Params = { get(name: string): string | null | undefined };

export type AuthorizeCheck = { ok: true; request: Omit<PendingConsent, "expiresAtMs"> } | { ok: false; reason: string };

/** Contract §3: every check that, failing, strands the user on X's "Something went wrong" page. */
export function checkAuthorizeRequest(state: EmulatorState, params: Params): AuthorizeCheck {
  const fail = (reason: string): AuthorizeCheck => ({ ok: false, reason });
  if (params.get("response_type") !== "code") return fail("response_type must be code");
  const clientId = params.get("client_id");
  if (!clientId) return fail("client_id is missing");
  const app = state.apps.get(clientId);
  if (!app) return fail("no app has this client_id");
  if (!app.oauth2Enabled) return fail("OAuth 2.0 is not set up for this app");
  const redirectUri = params.get("redirect_uri");
  if (!redirectUri) return fail("redirect_uri is missing");
  if (!app.callbackUrls.includes(redirectUri)) return fail("redirect_uri is not one of the app's callback URLs (exact match)");
  const rawScope = params.get("scope");
  if (!rawScope) return fail("scope is missing");
  const scopes = parseScopes(rawScope);
  if (!scopes) return fail("scope contains an unknown scope");
  const beyond = beyondPermission(state, app, scopes);
  if (beyond) return fail(beyond);
  const stateParam = params.get("state");
  if (!stateParam) return fail("state is missing");
  if (stateParam.length > MAX_STATE) return fail(`state is longer than ${MAX_STATE} characters`);
  const challenge = params.get("code_challenge");
  if (!challenge) return fail("code_challenge is missing");
  const method = params.get("code_challenge_method");
  if (!method || !METHODS.includes(method)) return fail("code_challenge_method must be S256 or plain");
  return { ok: true, request: { clientId, redirectUri, scopes, state: stateParam, challenge, method } };
}

export function getAuthorize(state: EmulatorState, ctx: Ctx): Reply {
  const check = checkAuthorizeRequest(state, ctx.query);
  if (!check.ok) return html(400, somethingWentWrongPage(check.reason));
  ctx.note.clientId = check.request.clientId;
  const nonce = newNonce();
  state.newConsent(check.request, nonce);
  const hinted = ctx.query.get("login_hint");
  const selected = (hinted && state.findUser(hinted)) || (state.signedInUser && state.findUser(state.signedInUser)) || state.users[0];
  const app = state.apps.get(check.request.clientId)!;
  return html(
    200,
    consentPage({
      app,
      users: state.users,
      selectedUserId: selected?.id ?? null,
      // The page lists what the app will really get (grant-less drops what its permission forbids).
      scopes: splitByPermission(check.request.scopes, app.permission).allowed,
      nonce,
      redirectUri: check.request.redirectUri,
    }),
  );
}

export function postAuthorize(state: EmulatorState, ctx: Ctx): Reply {
  const form = ctx.body ?? {};
  const nonce = typeof form.nonce === "string" ? form.nonce : "";
  const pending = state.consents.get(nonce);
  if (!pending || state.now() >= pending.expiresAtMs) return html(400, somethingWentWrongPage("the consent form expired or was already used"));
  state.consents.delete(nonce);
  ctx.note.clientId = pending.clientId;
  const decision = form.decision;
  if (decision !== "allow" && decision !== "deny") return html(400, somethingWentWrongPage("no decision was made"));
  const result = decide(state, pending, typeof form.user_id === "string" ? form.user_id : undefined, decision === "deny");
  return result.ok ? redirect(result.location) : html(400, somethingWentWrongPage(result.reason));
}

/** Approve or cancel a validated request; shared by the consent form and the control API. */
export function decide(
  state: EmulatorState,
  request: Omit<PendingConsent, "expiresAtMs">,
  userId: string | undefined,
  deny: boolean,
): { ok: true; location: string } | { ok: false; reason: string } {
  // The app may have changed while the page was open.
  const app = state.apps.get(request.clientId);
  if (!app || !app.oauth2Enabled || !app.callbackUrls.includes(request.redirectUri)) {
    return { ok: false, reason: "the app or its callback URLs changed" };
  }
  if (deny) {
    const params: [string, string][] = state.switches.cancelRedirect === "bare" ? [["state", request.state]] : [["error", "access_denied"], ["state", request.state]];
    return { ok: true, location: appendParams(request.redirectUri, params) };
  }
  // The permission is fixed here, at consent (it may have changed while the page was open); the
  // code carries it into the grant.
  const beyond = beyondPermission(state, app, request.scopes);
  if (beyond) return { ok: false, reason: beyond };
  const user = userId ? state.findUser(userId) : (state.signedInUser && state.findUser(state.signedInUser)) || state.users[0];
  if (!user) return { ok: false, reason: "no such X user" };
  const code = newOpaque("ac", state.now());
  state.codes.set(code, {
    value: code,
    clientId: request.clientId,
    userId: user.id,
    scopes: splitByPermission(request.scopes, app.permission).allowed,
    permission: app.permission,
    redirectUri: request.redirectUri,
    challenge: request.challenge,
    method: request.method,
    expiresAtMs: state.now() + state.switches.codeTtlSeconds * 1000,
    used: false,
  });
  return { ok: true, location: appendParams(request.redirectUri, [["state", request.state], ["code", code]]) };
}

/**
 * Contract §2: what X does with scopes beyond the app's permission is a switch. `refuse` strands
 * the user like any bad request; `grant-less` grants the rest, unless nothing would be left.
 * Returns the reason to refuse, or null.
 */
function beyondPermission(state: EmulatorState, app: EmulatorApp, scopes: string[]): string | null {
  const { allowed, beyond } = splitByPermission(scopes, app.permission);
  if (beyond.length === 0) return null;
  const why = `the app's permission (${app.permission}) does not allow ${beyond.join(" ")}`;
  if (state.switches.scopesBeyondPermission === "refuse") return why;
  return allowed.length === 0 ? `${why}, and nothing else was asked for` : null;
}

function appendParams(uri: string, params: [string, string][]): string {
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  const separator = !uri.includes("?") ? "?" : /[?&]$/.test(uri) ? "" : "&";
  return `${uri}${separator}${query}`;
}
