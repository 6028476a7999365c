// Prisma CLI configuration. The CLI runs outside the app, so it reads DATABASE_URL itself (or,
// unset, the default SQLite file in KEYPORT_DATA_DIR, decided in lib/database-url). Schema, migrations and driver adapter follow the URL:
// a postgres:// URL selects the derived PostgreSQL schema, anything else the SQLite file.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { databaseKind, databaseUrlFrom, postgresConfig, sqliteFilePath } from "./lib/database-url";

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
    mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSqlite3({ url: file });
  },
});
