// Staff sign-in (Auth.js v5): email + password, JWT sessions signed with the persisted
// AUTH_SECRET, so a session survives a restart. Membership and role are re-read from the
// database on every request (lib/session.ts), so removing a member takes effect at once.
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { checkSignInThrottle, clearSignInFailures, recordSignInFailure } from "./auth-throttle";
import { db } from "./db";
import { env } from "./env";
import { clientIp } from "./request-ip";
import { verifyPassword } from "./password";
import { signInSchema } from "./validations/auth";

/** Thrown when the email or the IP is locked out; `code` carries the wait in seconds. */
export class SignInLockedError extends CredentialsSignin {
  constructor(retryAfterSeconds: number) {
    super();
    this.code = `locked:${retryAfterSeconds}`;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/login" },
  logger: {
    // Failed sign-ins are expected traffic; the throttle records them. Anything else is logged
    // without its cause chain, which for credentials errors could echo submitted fields.
    error(error) {
      if (error.name === "CredentialsSignin" || error.name === "SignInLockedError") return;
      console.error(`[auth] ${error.name}: ${error.message.split("\n")[0]}`);
    },
    warn() {},
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = clientIp(request.headers);
        const throttle = await checkSignInThrottle(email, ip);
        if (throttle.locked) throw new SignInLockedError(throttle.retryAfterSeconds);
        if (throttle.delayMs) await new Promise((r) => setTimeout(r, throttle.delayMs));

        const user = await db.user.findUnique({ where: { email } });
        const ok = await verifyPassword(user?.passwordHash ?? null, password);
        if (!user || !ok) {
          await recordSignInFailure(email, ip);
          return null;
        }
        await clearSignInFailures(email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.uid = user.id;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
});
