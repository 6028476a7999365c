// Why a connected account is not ACTIVE, stored as ConnectedAccount.statusReason, with the words
// and the fix an admin sees. "x-unavailable" is the one DEGRADED reason (X failing for a long run;
// the tokens are kept and nothing needs reconnecting); the rest mean NEEDS_RECONNECT.
export const RECONNECT_REASONS = {
  "secret-rotated": { label: "Client Secret replaced", fix: "The app's secret was replaced in Keyport; reconnect so X issues tokens for the new secret." },
  "app-replaced": { label: "X app replaced", fix: "The brand now uses a different X app; reconnect through the new app." },
  "credentials-removed": { label: "X app removed", fix: "The X app this account was connected through was removed; reconnect through the app that applies now." },
  "token-revoked": { label: "Access revoked at X", fix: "The account owner revoked Keyport's access on X (or X ended the grant); reconnect to grant it again." },
  "missing-scopes": { label: "Permissions missing", fix: "X granted fewer permissions than Keyport needs; enable them on the app in the developer portal, then reconnect." },
  "refresh-failing": { label: "Token refresh failing", fix: "X refuses to refresh this account's token; reconnect to get a new one." },
  "refresh-lost": { label: "Refresh reply lost", fix: "X's answer to a token refresh never arrived, and X no longer accepts the refresh token it replaced; reconnect to start a new chain." },
  "app-credentials": { label: "X rejects the app's credentials", fix: "X refused the app's Client ID or Secret (rotated in the portal?); replace them in the X app settings, then reconnect." },
  "x-unavailable": { label: "X keeps failing", fix: "X has answered with errors or not at all for a long while. Keyport keeps the tokens and retries on its own; nothing needs reconnecting." },
} as const;

export type ReconnectReason = keyof typeof RECONNECT_REASONS;

export function reconnectReasonLabel(reason: string | null | undefined): string {
  return (reason && reason in RECONNECT_REASONS ? RECONNECT_REASONS[reason as ReconnectReason].label : null) ?? "Needs reconnecting";
}
