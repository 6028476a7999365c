// What the Credentials provider's authorize does, outside Auth.js so it can be exercised directly:
// parse the submitted fields, apply the sign-in throttle, check the password.
import { checkSignInThrottle, clearSignInFailures, recordSignInFailure } from "./auth-throttle";
import { db } from "./db";
import { verifyPassword } from "./password";
import { signInSchema } from "./validations/auth";

export type SignInOutcome =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid" | "rejected" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

export async function authorizeCredentials(credentials: unknown, ip: string): Promise<SignInOutcome> {
  const parsed = signInSchema.safeParse(credentials);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const { email, password } = parsed.data;
  const throttle = await checkSignInThrottle(email, ip);
  if (throttle.locked) return { ok: false, reason: "locked", retryAfterSeconds: throttle.retryAfterSeconds };
  if (throttle.delayMs) await new Promise((r) => setTimeout(r, throttle.delayMs));

  const user = await db.user.findUnique({ where: { email } });
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok) {
    await recordSignInFailure(email, ip);
    return { ok: false, reason: "rejected" };
  }
  await clearSignInFailures(email);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
