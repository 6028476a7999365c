// X refused an app's credentials during a refresh (401). One account's failure could be a fluke
// of that request, so the credentials are re-tested with the same probe as "Test credentials"
// (no user needed); only a clear "invalid" marks the credential row rejected — once per version —
// and with it every account whose tokens it issued (lib/data/x-credentials.ts markCredentialRejected).
import "server-only";
import { callbackUrl } from "../callback-url";
import { markCredentialRejected, openCredential } from "../data/x-credentials";
import { env } from "../env";
import { xEndpoints } from "../x/endpoints";
import { probeCredentials } from "../x/oauth";

/** True when this call marked the credentials rejected (false: not confirmed, changed meanwhile, or already marked). */
export async function confirmAppCredentialsRejected(input: { workspaceId: string; credentialId: string; version: number }): Promise<boolean> {
  const credential = await openCredential(input.workspaceId, input.credentialId);
  if (!credential || credential.version !== input.version) return false;
  const probe = await probeCredentials(xEndpoints(), { clientId: credential.clientId, clientSecret: credential.clientSecret }, callbackUrl(env.KEYPORT_PUBLIC_URL));
  if (probe.status !== "invalid") return false;
  const { marked } = await markCredentialRejected({ ...input, reason: "credentials-rejected", xError: `token endpoint: ${probe.error}` });
  return marked;
}
