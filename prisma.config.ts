// Prisma CLI configuration. The CLI runs outside the app, so it reads DATABASE_URL itself (or,
// unset, the default SQLite file in KEYPORT_DATA_DIR, decided in lib/database-url). Schema, migrations and driver adapter follow the URL:
// a postgres:// URL selects the derived PostgreSQL schema, anything else the SQLite file.
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { DEFAULT_DATA_DIR, databaseKind, databaseUrlFrom, postgresConfig, sqliteFilePath } from "./lib/database-url";
import { prepareSqliteFile } from "./lib/sqlite-file";

const url = databaseUrlFrom(process.env);
const kind = databaseKind(url);
const dir = kind === "postgres" ? "prisma/postgres" : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(dir, "schema.prisma"),
  migrations: { path: path.join(dir, "migrations") },
  async adapter() {
    if (kind === "postgres") {
      return new PrismaPg({ ...postgresConfig(url), allowExitOnIdle: true });
    }
    const file = sqliteFilePath(url);
    // Owner-only, like every other way in (scripts/migrate.mjs reports an overly open file).
    prepareSqliteFile(file, process.env.KEYPORT_DATA_DIR || DEFAULT_DATA_DIR);
    return new PrismaBetterSqlite3({ url: file });
  },
});
