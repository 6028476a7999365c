// Runs once when the Next server starts, before it handles any request.
// Next gives route handlers and server actions headers, never the socket; installPeerStamp adds
// each request's socket address to X-Forwarded-For so the sign-in throttle can tell clients
// apart without trusting what they send (lib/request-ip.ts explains why).
export async function register() {
  // NEXT_RUNTIME is Next's build-time switch between the Node and edge bundles, not configuration.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerStamp } = await import("./lib/request-ip");
  installPeerStamp();
}
