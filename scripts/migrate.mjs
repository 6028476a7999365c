// Applies pending migrations to the database DATABASE_URL names (SQLite file by default).
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { runPrisma } from "./prisma.mjs";

const url = process.env.DATABASE_URL || "file:./data/keyport.db";
const postgres = /^postgres(ql)?:\/\//i.test(url);

if (!postgres) {
  const file = path.resolve(url.replace(/^file:/i, "").replace(/\?.*$/, ""));
  mkdirSync(path.dirname(file), { recursive: true });
  // WAL lets readers carry on while a request writes; the setting is stored in the file.
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
}
try {
  runPrisma(["migrate", "deploy"], { capture: true });
  console.log(`[keyport] database migrated (${postgres ? "PostgreSQL" : "SQLite"})`);
} catch (error) {
  console.error(`[keyport] migration failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
