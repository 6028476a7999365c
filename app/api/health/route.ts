// GET — for load balancers and uptime checks: 200 when the database answers, 503 when not. Also
// the background worker's last completed pass ("stale", still 200, when none finished in twice
// its interval) and the count of connected accounts by status — counts only, no names or ids.
import { NextResponse } from "next/server";
import { countAccountsByStatus, readLastPass } from "@/lib/data/worker-state";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function GET() {
  const started = Date.now();
  try {
    await db.$queryRawUnsafe("SELECT 1");
    const latencyMs = Date.now() - started;
    const [last, accounts] = await Promise.all([readLastPass(), countAccountsByStatus()]);
    const intervalMs = last?.intervalMs || env.KEYPORT_WORKER_INTERVAL_MS;
    const stale = !last || Date.now() - Date.parse(last.finishedAt) > 2 * intervalMs;
    return NextResponse.json(
      {
        status: stale ? "worker stale" : "ok",
        database: { kind: env.databaseKind, reachable: true, latencyMs },
        worker: {
          status: stale ? "stale" : "ok",
          lastPassAt: last?.finishedAt ?? null,
          intervalMs,
          lastPass: last ? last.sweep : null,
        },
        accounts,
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return NextResponse.json(
      { status: "unavailable", database: { kind: env.databaseKind, reachable: false } },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
