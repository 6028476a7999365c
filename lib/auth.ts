// Staff sign-in (Auth.js v5): email + password, JWT sessions signed with the persisted
// AUTH_SECRET, so a session survives a restart. Membership and role are re-read from the
// database on every request (lib/session.ts), so removing a member takes effect at once.
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authorizeCredentials } from "./auth-credentials";
import { env } from "./env";
import { clientIp } from "./request-ip";

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
    // A failed sign-in is expected traffic: authorizeCredentials has already logged its one line,
    // so Auth.js's CredentialsSignin (also thrown for a lockout) is dropped. Errors are matched by
    // Auth.js's `type`, never by class name, which minification turns into "j". Anything else is
    // logged without its cause chain, which for credentials errors could echo submitted fields.
    error(error) {
      const type = (error as { type?: unknown }).type;
      if (type === "CredentialsSignin") return;
      const label = typeof type === "string" ? type : error.name;
      const detail = (error.message.split("\n")[0] ?? "").replace(/\.?\s*Read more at \S+$/, "").trim();
      console.error(detail ? `[auth] ${label}: ${detail}` : `[auth] ${label}`);
    },
    warn() {},
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const outcome = await authorizeCredentials(credentials, clientIp(request.headers, env.KEYPORT_TRUSTED_PROXIES));
        if (outcome.ok) return outcome.user;
        if (outcome.reason === "locked") throw new SignInLockedError(outcome.retryAfterSeconds);
        return null;
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
