// GET — for load balancers and uptime checks: 200 when the database answers, 503 when not.
import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function GET() {
  const started = Date.now();
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return NextResponse.json(
      { status: "ok", database: { kind: env.databaseKind, reachable: true, latencyMs: Date.now() - started } },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return NextResponse.json(
      { status: "unavailable", database: { kind: env.databaseKind, reachable: false } },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
