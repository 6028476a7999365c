// What the Credentials provider's authorize does, outside Auth.js so it can be exercised directly:
// parse the submitted fields, take an attempt from the throttle, only then check the password.
// Every failure leaves exactly one structured log line; nothing else about sign-in is logged.
import { createHmac } from "node:crypto";
import { signInSucceeded, takeSignInAttempt } from "./auth-throttle";
import { db } from "./db";
import { env } from "./env";
import { verifyPassword } from "./password";
import { signInSchema } from "./validations/auth";

export type SignInOutcome =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid" | "rejected" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

type FailureLog = "invalid-input" | "unknown-email" | "wrong-password" | "locked";

export async function authorizeCredentials(credentials: unknown, ip: string): Promise<SignInOutcome> {
  const parsed = signInSchema.safeParse(credentials);
  if (!parsed.success) {
    logFailure("invalid-input", credentials, ip);
    return { ok: false, reason: "invalid" };
  }
  const { email, password } = parsed.data;
  const attempt = await takeSignInAttempt(email, ip);
  if (!attempt.allowed) {
    logFailure("locked", email, ip);
    return { ok: false, reason: "locked", retryAfterSeconds: attempt.retryAfterSeconds };
  }
  if (attempt.delayMs) await new Promise((r) => setTimeout(r, attempt.delayMs));

  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok) {
    logFailure(user ? "wrong-password" : "unknown-email", email, ip);
    return { ok: false, reason: "rejected" };
  }
  await signInSucceeded(email, ip);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}

/**
 * `[auth] sign-in failed {"outcome":…,"email":…,"ip":…}`. The email is a keyed hash (HMAC under
 * a key derived from AUTH_SECRET): the same email always gives the same value, so repeated
 * attempts on one account can be followed, but a log reader cannot test guesses of who it is.
 */
function logFailure(outcome: FailureLog, email: unknown, ip: string) {
  const address = typeof email === "object" && email !== null ? (email as { email?: unknown }).email : email;
  const hashed = typeof address === "string" ? emailHash(address.trim().toLowerCase()) : null;
  console.warn(`[auth] sign-in failed ${JSON.stringify({ outcome, email: hashed, ip })}`);
}

let hashKey: Buffer | undefined;
function emailHash(email: string) {
  hashKey ??= createHmac("sha256", env.AUTH_SECRET).update("keyport:log:email-hash:v1").digest();
  return createHmac("sha256", hashKey).update(email).digest("hex").slice(0, 16);
}
