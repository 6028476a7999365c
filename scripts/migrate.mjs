// Applies pending migrations to the database DATABASE_URL names (by default the SQLite file
// keyport.db in KEYPORT_DATA_DIR, as lib/database-url decides).
import { tsImport } from "tsx/esm/api";
import { databaseKind, databaseUrl, defaultDataDir, sqliteFilePath } from "./database-url.mjs";
import { runPrisma } from "./prisma.mjs";

const url = databaseUrl();
const postgres = databaseKind(url) === "postgres";

if (!postgres) {
  // Loaded only for SQLite: it is a native addon built for the Node.js that ran `npm install`.
  const { default: Database } = await import("better-sqlite3");
  // Often the first command on a new machine: the file must be born owner-only (lib/sqlite-file.ts).
  const { prepareSqliteFile } = await tsImport("../lib/sqlite-file.ts", import.meta.url);
  const file = sqliteFilePath(url);
  for (const warning of prepareSqliteFile(file, process.env.KEYPORT_DATA_DIR || defaultDataDir)) console.warn(warning);
  // WAL lets readers carry on while a request writes; the setting is stored in the file.
  const sqlite = openSqlite(Database, file);
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

/** Opens the file; a build of better-sqlite3 for another Node.js ends the start with what to do. */
function openSqlite(Database, file) {
  try {
    return new Database(file);
  } catch (error) {
    if (error?.code !== "ERR_DLOPEN_FAILED" && !String(error?.message).includes("NODE_MODULE_VERSION")) throw error;
    console.error(
      `[keyport] better-sqlite3 was built for another Node.js than this one (${process.version}). ` +
        "Run `npm rebuild better-sqlite3` (or `npm install`) with the Node.js you start Keyport with, " +
        "or use PostgreSQL (DATABASE_URL=postgresql://…).",
    );
    process.exit(1);
  }
}
