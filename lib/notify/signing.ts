// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<body>" with the endpoint's secret, sent as
// `webhook-signature: v1,<base64>`; during a secret rotation both the new and the previous secret
// sign (space-separated), so a receiver holding either verifies. Uses the reference library, so
// every Standard Webhooks verifier agrees with it. No Next, no Prisma.
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A new endpoint secret: "whsec_" and 32 random bytes in base64, the form receivers' libraries expect. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{43}=$/;

/** The three Standard Webhooks headers for one attempt. `at` is the attempt's wall-clock time. */
export function signatureHeaders(input: { messageId: string; body: string; secrets: string[]; at: Date }): Record<string, string> {
  if (input.secrets.length === 0) throw new Error("No secret to sign with");
  const signature = input.secrets.map((secret) => new Webhook(secret).sign(input.messageId, input.at, input.body)).join(" ");
  return {
    "webhook-id": input.messageId,
    "webhook-timestamp": String(Math.floor(input.at.getTime() / 1000)),
    "webhook-signature": signature,
  };
}
