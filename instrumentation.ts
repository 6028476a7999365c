// Runs once when the Next server starts, before it handles any request.
// Next gives route handlers and server actions headers, never the socket; installPeerStamp adds
// each request's socket address to X-Forwarded-For so the sign-in throttle can tell clients
// apart without trusting what they send (lib/request-ip.ts explains why).
// It also starts the background worker (lib/jobs/worker.ts: health sweep + notifications) inside
// the production server, so `npm start` needs no second process; KEYPORT_WORKER=off turns it off.
export async function register() {
  // NEXT_RUNTIME is Next's build-time switch between the Node and edge bundles, not configuration.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerStamp } = await import("./lib/request-ip");
  installPeerStamp();
  // NEXT_PHASE is Next's own marker too: never start the loop while `next build` loads the app.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("./lib/env");
  // Only `next start` (production): `next dev` reloads modules and would start loops it cannot stop.
  if (env.KEYPORT_WORKER === "off" || env.NODE_ENV !== "production") return;
  const { startWorker } = await import("./lib/jobs/worker");
  // No signal handlers of our own (they would keep Next from exiting): a server stopped mid-pass
  // leaves claims that expire after their lease.
  startWorker({ firstDelayMs: 5_000 });
  console.log(`[keyport] background worker started: a pass every ${env.KEYPORT_WORKER_INTERVAL_MS / 1000} s (KEYPORT_WORKER=off disables it)`);
}
