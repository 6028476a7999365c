// How a credentials test reads to a person. "Inconclusive" never says the credentials are bad.
import { CLIENT_KIND_WARNING, type ClientKind } from "./client-id";
import { TRANSIENT_MESSAGE, type TransientReason } from "./errors";
import type { ProbeResult } from "./oauth";

export function describeProbe(result: ProbeResult, kind: ClientKind): string {
  if (result.status === "valid") return "X accepted this Client ID and Client Secret.";
  if (result.status === "invalid") {
    const base = `X rejected this Client ID or Client Secret (${result.error}). Copy both again from the app's “Keys and tokens” page, under “OAuth 2.0 Client ID and Client Secret” (not the API Key and Secret); if the secret was regenerated in the portal, paste the new one.`;
    return kind === "public" ? `${base} ${CLIENT_KIND_WARNING.public}` : base;
  }
  const why = TRANSIENT_MESSAGE[result.reason as TransientReason] ?? TRANSIENT_MESSAGE.unexpected;
  return `Could not test: ${why}${result.httpStatus ? ` (HTTP ${result.httpStatus})` : ""} This says nothing about whether the credentials are right; try again in a minute.`;
}
