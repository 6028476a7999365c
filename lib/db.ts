// The Prisma client, on the database DATABASE_URL names. Both generated clients are bundled, so
// switching between SQLite and PostgreSQL needs no rebuild; their APIs are identical for the
// schema subset both providers share, so the SQLite client's type stands for both.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseKind, postgresConfig, sqliteFilePath } from "./database-url";
import { env } from "./env";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { prepareSqliteFile } from "./sqlite-file";

export type Db = SqliteClient;
export { Prisma } from "./generated/sqlite/client";
export type { Role } from "./generated/sqlite/enums";

/**
 * Interactive transactions here are short (no call to X happens inside one), but under load a
 * connection can take seconds to free up: Prisma's defaults (2 s to get one, 5 s to finish) turned
 * busy moments into lost connects in the load bench. Wait longer instead of failing.
 */
const transactionOptions = { maxWait: 10_000, timeout: 15_000 };

export function createDb(url: string = env.DATABASE_URL): Db {
  if (databaseKind(url) === "postgres") {
    const adapter = new PrismaPg({ ...postgresConfig(url), max: 10, idleTimeoutMillis: 30_000 });
    return new PostgresClient({ adapter, transactionOptions }) as unknown as Db;
  }
  // Owner-only before SQLite opens (or creates) it; an overly open file elsewhere is reported at start.
  const file = sqliteFilePath(url);
  for (const warning of prepareSqliteFile(file, env.KEYPORT_DATA_DIR)) console.warn(warning);
  // 5 s busy timeout: concurrent writers (two requests, a rotation script) wait instead of failing.
  const adapter = new PrismaBetterSqlite3({ url: file, timeout: 5_000 });
  return new SqliteClient({ adapter, transactionOptions });
}

/** Which database this process talks to (for the few statements the two write differently). */
export const DB_KIND = databaseKind(env.DATABASE_URL);

const globalForDb = globalThis as unknown as { keyportDb?: Db };

/** One client per process (dev hot reload would otherwise open a new pool on every edit). */
export const db: Db = globalForDb.keyportDb ?? (globalForDb.keyportDb = createDb());

/** Unique-constraint violation, whichever driver reported it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/**
 * A query filtered by a list of ids (`id: { in: [...] }`) binds one value per id, and Prisma on
 * SQLite refuses a statement with more than 999 (P2029): a bulk action's 1,000 ids go in parts.
 */
export const IN_LIST_MAX = 500;
export function inChunks<T>(items: readonly T[], size = IN_LIST_MAX): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A read by a list of ids, in parts (see inChunks), with the parts' rows joined. */
export async function findInChunks<T, R>(items: readonly T[], find: (part: T[]) => Promise<R[]>): Promise<R[]> {
  return (await Promise.all(inChunks(items).map(find))).flat();
}
