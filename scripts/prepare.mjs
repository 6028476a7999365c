// Runs after `npm install`: generates the Prisma client for the database DATABASE_URL points at.
// Kept tiny and dependency-free so a fresh clone can always get this far.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

if (existsSync("prisma/schema.prisma") && existsSync("scripts/prisma.mjs")) {
  execFileSync(process.execPath, ["scripts/prisma.mjs", "generate"], { stdio: "inherit" });
}
