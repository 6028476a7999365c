// Derives prisma/postgres/schema.prisma from prisma/schema.prisma (the only schema anyone edits)
// and writes a new migration for each provider when the schema changed since the last one.
//   npm run db:derive               → refresh the PostgreSQL schema only
//   npm run db:derive -- --migration add_things → also write migrations named <timestamp>_add_things
// Migrations are produced with `prisma migrate diff` between schema snapshots, which needs no
// database (PostgreSQL's `migrate dev` needs a shadow database the offline CLI cannot drive).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runPrisma } from "./prisma.mjs";

const SOURCE = "prisma/schema.prisma";
const TARGET = "prisma/postgres/schema.prisma";
const HEADER = "// GENERATED from prisma/schema.prisma by `npm run db:derive`. Do not edit.\n";

export function derivePostgresSchema(source) {
  const swapped = source
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace('output     = "../lib/generated/sqlite"', 'output     = "../../lib/generated/postgres"');
  if (swapped === source || !swapped.includes("../../lib/generated/postgres")) {
    throw new Error("prisma/schema.prisma no longer has the provider/output lines this script rewrites");
  }
  return HEADER + swapped;
}

function writeMigration(kind, name, stamp) {
  const dir = kind === "postgres" ? "prisma/postgres" : "prisma";
  const schema = kind === "postgres" ? TARGET : SOURCE;
  const snapshot = path.join(dir, "migrations", "schema.snapshot.prisma");
  const from = existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
  const sql = runPrisma(["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"], {
    capture: true,
    env: kind === "postgres" ? { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres" } : {},
  });
  if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
    console.log(`${kind}: schema unchanged, no migration written`);
    return;
  }
  const folder = path.join(dir, "migrations", `${stamp}_${name}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "migration.sql"), sql);
  writeFileSync(snapshot, readFileSync(schema, "utf8"));
  writeFileSync(
    path.join(dir, "migrations", "migration_lock.toml"),
    `provider = "${kind === "postgres" ? "postgresql" : "sqlite"}"\n`,
  );
  console.log(`${kind}: wrote ${folder}/migration.sql`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(path.dirname(TARGET), { recursive: true });
  writeFileSync(TARGET, derivePostgresSchema(readFileSync(SOURCE, "utf8")));
  console.log(`wrote ${TARGET}`);
  const at = process.argv.indexOf("--migration");
  if (at !== -1) {
    const name = process.argv[at + 1];
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("--migration needs a snake_case name");
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    writeMigration("sqlite", name, stamp);
    writeMigration("postgres", name, stamp);
  }
}
