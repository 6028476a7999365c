// How a connect attempt ended, as stored on ConnectAttempt.outcome, and the words a person sees
// for each. Pure data: the brand page, the hosted link page and the callback all read it, and the
// browser only ever receives a code (or an attempt id), never free text, so nothing can be injected.
import { APP_PERMISSION_LABEL, BASE_SCOPES, isOptionalScope, OPTIONAL_SCOPES, requiredPermission, SCOPE_BREAKS, type KeyportScope } from "../x/scopes";

export const ATTEMPT_OUTCOMES = [
  "connected",
  "missing-scopes",
  "cancelled",
  "x-error",
  "expired",
  "app-credentials",
  "code-rejected",
  "x-unreachable",
  "profile-forbidden",
  "token-rejected",
  "app-not-enrolled",
  "credentials-changed",
  "link-unavailable",
  "failed",
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Refusals before an attempt exists (the connect start) — carried as ?connect_error=<code>. */
export const START_ERRORS = ["no-credentials", "credentials-invalid", "credentials-rejected", "instance-app-rejected", "brand-not-found", "start-failed", "rate-limited"] as const;
export type StartError = (typeof START_ERRORS)[number];

/** Small, sanitised facts kept beside the outcome (never a token, code or verifier). */
export type OutcomeDetail = { username?: string; missing?: string[]; error?: string; description?: string; step?: "token" | "profile" };

export type Notice = {
  tone: "success" | "warning" | "error";
  title: string;
  body: string;
  /** What to do about it, when there is something to do. */
  fix?: string;
  /** "retry" offers Connect again; "guide" links to the X app setup guide. */
  actions: ("retry" | "guide")[];
};

export const SETUP_GUIDE_PATH = "/settings/x";

export function describeOutcome(outcome: string | null, detail: OutcomeDetail = {}): Notice {
  const who = detail.username ? `@${detail.username}` : "the X account";
  switch (outcome as AttemptOutcome | null) {
    case "connected":
      return { tone: "success", title: `Connected ${who}`, body: `${who} is connected and ready to use.`, actions: [] };
    case "missing-scopes": {
      const missing = knownScopes(detail.missing);
      const permission = APP_PERMISSION_LABEL[requiredPermission(missing)];
      const fix = `In the X Developer Console, open the app's “User authentication settings”, set App permissions to “${permission}” (or more), save, then reconnect this account.`;
      // Only the optional scopes a workspace opted in to are missing: everything Keyport itself
      // needs was granted, so the account works and is not flagged.
      if (missing.length > 0 && missing.every((s) => isOptionalScope(s))) {
        return {
          tone: "warning",
          title: `Connected ${who}, without some optional permissions`,
          body: `X did not grant ${missing.join(", ")}, so ${breaks(missing)} won't work for this account. Reading the profile and posting work.`,
          fix,
          actions: ["retry", "guide"],
        };
      }
      return {
        tone: "warning",
        title: `Connected ${who}, but X granted fewer permissions than Keyport needs`,
        body: `Missing: ${missing.join(", ") || "some permissions"}. Without them, ${breaks(missing)} won't work. The account is flagged until it is reconnected.`,
        fix,
        actions: ["retry", "guide"],
      };
    }
    case "cancelled":
      return { tone: "warning", title: "Connection cancelled at X", body: "Access wasn't granted on X's page, so nothing was connected.", fix: "Connect again and choose “Authorize app” on X.", actions: ["retry"] };
    case "x-error":
      return {
        tone: "error",
        title: "X refused the request",
        body: `X sent the person back with the error “${detail.error ?? "unknown"}”, so nothing was connected.${detail.description ? ` X said: “${detail.description}”` : ""}`,
        fix: "Check the X app's settings in the developer portal, then connect again.",
        actions: ["retry", "guide"],
      };
    case "expired":
      return { tone: "warning", title: "The connection attempt expired", body: "More than 10 minutes passed between starting and finishing on X, so Keyport refused it. Nothing was connected.", fix: "Connect again and finish within 10 minutes.", actions: ["retry"] };
    case "app-credentials":
      return {
        tone: "error",
        title: "X rejected the app's credentials",
        body: "X answered “unauthorized_client”: the Client ID or Client Secret saved in Keyport is wrong, or the secret was regenerated in the developer portal. Nothing was connected.",
        fix: "Copy the current Client ID and Client Secret from the developer portal, replace them in Keyport's X app settings, test them, then connect again.",
        actions: ["guide", "retry"],
      };
    case "code-rejected":
      return { tone: "error", title: "X refused the authorization", body: "X did not accept the authorization it had just issued (it may have taken too long — X's codes last about 30 seconds). Nothing was connected.", fix: "Connect again.", actions: ["retry"] };
    case "x-unreachable":
      return {
        tone: "error",
        title: "X could not be reached",
        body: `X didn't answer properly while Keyport was ${detail.step === "profile" ? "reading the account's profile" : "finishing the connection"}, so nothing was connected.`,
        fix: "This is usually temporary. Try again in a minute.",
        actions: ["retry"],
      };
    case "profile-forbidden":
      return {
        tone: "error",
        title: "X didn't allow reading the account's profile",
        body: `X granted too few permissions to read who the account is (tweet.read and users.read are both needed)${detail.missing?.length ? `; missing: ${knownScopes(detail.missing).join(", ")}` : ""}. Nothing was connected.`,
        fix: "Enable the permissions on the app in the developer portal, then connect again.",
        actions: ["guide", "retry"],
      };
    case "token-rejected":
      return {
        tone: "error",
        title: "X refused the token it had just issued",
        body: "Reading the account's profile failed with 401. That happens when the app's Client Secret is regenerated in the developer portal at that very moment, or when X has a hiccup. Nothing was connected.",
        fix: "Connect again. If it happens again, test the X app's credentials in Keyport.",
        actions: ["retry", "guide"],
      };
    case "app-not-enrolled":
      return {
        tone: "error",
        title: "The X app isn't allowed to use the API",
        body: "X answered “client-not-enrolled”: the app must be attached to a Project with API access. Nothing was connected.",
        fix: "In the developer portal, move the app into a Project, then connect again.",
        actions: ["guide", "retry"],
      };
    case "credentials-changed":
      return { tone: "warning", title: "The X app changed during the connection", body: "The X app credentials for this brand were replaced or removed while the person was on X, so Keyport stopped. Nothing was connected.", fix: "Connect again; it will use the app that applies now.", actions: ["retry"] };
    case "link-unavailable":
      return { tone: "error", title: "This connect link can no longer be used", body: "The link was used, withdrawn or expired while the person was on X. Nothing was connected.", fix: "Ask for a new link.", actions: [] };
    case null:
      return { tone: "warning", title: "Still finishing the connection", body: "Keyport is still finishing this connection.", fix: "Reload the page in a moment.", actions: [] };
    default:
      return { tone: "error", title: "The connection failed", body: "Something went wrong on Keyport's side while finishing the connection. Nothing was connected.", fix: "Try again; if it keeps happening, ask your administrator to check the server log.", actions: ["retry"] };
  }
}

export function describeStartError(code: string | null): Notice | null {
  switch (code as StartError | null) {
    case "no-credentials":
      return { tone: "error", title: "No X app is set up for this brand", body: "Keyport needs an X developer app's Client ID and Client Secret before it can connect accounts: either the workspace default or this brand's own app.", fix: "An owner or admin can add them under Settings → X app.", actions: ["guide"] };
    case "credentials-invalid":
      return { tone: "error", title: "The X app's credentials failed their last test", body: "The last test of this brand's X app credentials said X rejects them, so connecting would fail.", fix: "Fix or replace the credentials and test them again, then connect.", actions: ["guide"] };
    case "credentials-rejected":
      return {
        tone: "error",
        title: "X rejects this brand's X app credentials",
        body: "X refused the saved Client ID or Client Secret (the secret was probably regenerated in the developer portal), so Keyport did not send anyone to X: the connection could only fail. Nothing was connected.",
        fix: "An owner or admin replaces the credentials (Replace credentials), then connect again.",
        actions: ["guide"],
      };
    case "instance-app-rejected":
      return {
        tone: "error",
        title: "X rejects the instance app's credentials",
        body: "This brand connects through the instance app set by the operator, and X refuses its Client ID or Client Secret, so Keyport did not send anyone to X. Nothing was connected.",
        fix: "Ask whoever runs Keyport to update KEYPORT_X_CLIENT_ID / KEYPORT_X_CLIENT_SECRET, or save your own X app under Settings → X app.",
        actions: ["guide"],
      };
    case "brand-not-found":
      return { tone: "error", title: "Brand not found", body: "That brand doesn't exist in this workspace.", actions: [] };
    case "start-failed":
      return { tone: "error", title: "Couldn't start the connection", body: "Something went wrong on Keyport's side before going to X.", fix: "Try again.", actions: ["retry"] };
    case "rate-limited":
      return { tone: "warning", title: "Too many tries", body: "Connect was pressed too often in the last few minutes, so Keyport did not go to X this time. Nothing was connected.", fix: "Wait ten minutes, then press Connect once.", actions: [] };
    default:
      return null;
  }
}

export function parseDetail(value: string | null | undefined): OutcomeDetail {
  if (!value) return {};
  try {
    const raw = JSON.parse(value) as Record<string, unknown>;
    const detail: OutcomeDetail = {};
    if (typeof raw.username === "string") detail.username = raw.username;
    if (Array.isArray(raw.missing)) detail.missing = raw.missing.filter((s): s is string => typeof s === "string");
    if (typeof raw.error === "string") detail.error = raw.error;
    const description = typeof raw.description === "string" ? plainText(raw.description) : undefined;
    if (description) detail.description = description;
    if (raw.step === "token" || raw.step === "profile") detail.step = raw.step;
    return detail;
  } catch {
    return {};
  }
}

/**
 * Free text from X (error_description) made safe to show: control and invisible formatting
 * characters (bidi overrides, zero-width) become spaces, whitespace collapses, and at most `max`
 * characters are kept. It is still untrusted text: render it as text, never as HTML.
 */
export function plainText(value: string | null | undefined, max = 200): string | undefined {
  if (!value) return undefined;
  const cleaned = value
    .slice(0, max * 8)
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!cleaned) return undefined;
  const chars = [...cleaned];
  return chars.length > max ? `${chars.slice(0, max - 1).join("").trimEnd()}…` : cleaned;
}

function knownScopes(list: string[] | undefined): KeyportScope[] {
  return [...BASE_SCOPES, ...OPTIONAL_SCOPES].filter((s) => list?.includes(s));
}

function breaks(missing: KeyportScope[]): string {
  const parts = [...new Set(missing.map((s) => SCOPE_BREAKS[s]))];
  if (parts.length === 0) return "some features";
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
