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
  "app-credentials": { label: "X rejects the app's credentials", fix: "X refused the app's Client ID or Secret (rotated in the portal?); replace the credentials first (X app settings, or the brand's own app), then reconnect." },
  "x-unavailable": { label: "X keeps failing", fix: "X has answered with errors or not at all for a long while. Keyport keeps the tokens and retries on its own; nothing needs reconnecting." },
} as const;

export type ReconnectReason = keyof typeof RECONNECT_REASONS;

export function reconnectReasonLabel(reason: string | null | undefined): string {
  return (reason && reason in RECONNECT_REASONS ? RECONNECT_REASONS[reason as ReconnectReason].label : null) ?? "Needs reconnecting";
}

/** For "app-credentials" once the app's credentials were replaced after X rejected them: only a reconnect is left to do. */
export const APP_CREDENTIALS_FIXED = "The app's credentials have been replaced since X rejected them; reconnect to get tokens through the new ones.";

/**
 * The fix to show for a reason. `appFixed`: the credentials that issued the account's tokens have
 * been replaced (or X no longer rejects them) since the account was marked — then an account
 * marked "app-credentials" needs only a reconnect, not "replace the credentials" again.
 */
export function reconnectFix(reason: string | null | undefined, options: { appFixed?: boolean; fallback?: string } = {}): string {
  if (reason === "app-credentials" && options.appFixed) return APP_CREDENTIALS_FIXED;
  return (reason && reason in RECONNECT_REASONS ? RECONNECT_REASONS[reason as ReconnectReason].fix : null) ?? options.fallback ?? "Reconnect the account.";
}

/**
 * Whether an account marked "app-credentials" was marked before its app's credentials were fixed:
 * the credentials were replaced (another version), or X no longer rejects them and they
 * changed after the account was marked (the instance app's secret replaced in the environment).
 */
export function appFixedSince(account: { credentialVersion: number; statusSince: Date | null }, credential: { version: number; rejectedAt: Date | null; updatedAt: Date } | null | undefined): boolean {
  // Removed credentials were not fixed: whatever applies now may be rejected too (the page says).
  if (!credential) return false;
  if (credential.version !== account.credentialVersion) return true;
  return credential.rejectedAt === null && account.statusSince !== null && credential.updatedAt.getTime() > account.statusSince.getTime();
}
