// Once per integration run: a migrated template database that each test file clones, on the
// database kind KEYPORT_TEST_DB names (sqlite, the default, or postgres).
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export const OUTPUT = path.resolve(".test-output/integration");
export const PG_ADMIN_URL = process.env.KEYPORT_TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

export default async function setup() {
  mkdirSync(OUTPUT, { recursive: true });
  const kind = process.env.KEYPORT_TEST_DB === "postgres" ? "postgres" : "sqlite";
  if (kind === "sqlite") {
    const file = path.join(OUTPUT, "template.db");
    rmSync(file, { force: true });
    migrate(`file:${file}`);
    process.env.KEYPORT_TEST_TEMPLATE = file;
    return;
  }
  const template = `keyport_tpl_${process.pid}`;
  await adminQuery(`DROP DATABASE IF EXISTS ${template}`);
  await adminQuery(`CREATE DATABASE ${template}`);
  migrate(withDatabase(PG_ADMIN_URL, template));
  process.env.KEYPORT_TEST_TEMPLATE = template;
  return async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  };
}

function migrate(url: string) {
  execFileSync(process.execPath, ["scripts/migrate.mjs"], { stdio: "pipe", env: { ...process.env, DATABASE_URL: url } });
}

export function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
