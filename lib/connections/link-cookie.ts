// The cookie that ties a link-started attempt to the browser that started it. The callback
// accepts a link attempt only from a browser holding the link's token (there is no signed-in
// user to compare with), and uses it to send the client back to their link's page. Scoped to the
// callback path and short-lived, like the attempt itself.
import { CALLBACK_PATH } from "../callback-url";
import { env } from "../env";

export function linkCookie(linkId: string) {
  const publicUrl = new URL(env.KEYPORT_PUBLIC_URL);
  return {
    name: `keyport_link_${linkId}`,
    options: {
      httpOnly: true,
      // Lax: sent on the top-level GET from X back to the callback, never on cross-site subrequests.
      sameSite: "lax" as const,
      secure: publicUrl.protocol === "https:",
      path: `${publicUrl.pathname.replace(/\/+$/, "")}${CALLBACK_PATH}`,
      maxAge: 10 * 60,
    },
  };
}
