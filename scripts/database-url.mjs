// lib/database-url.ts for the plain-Node scripts (migrate, prisma): loaded through tsx so the
// default database stays decided in one place.
import { tsImport } from "tsx/esm/api";

const shared = await tsImport("../lib/database-url.ts", import.meta.url);

/** @type {(url: string) => "sqlite" | "postgres"} */
export const databaseKind = shared.databaseKind;
/** @type {(url: string) => string} */
export const sqliteFilePath = shared.sqliteFilePath;
/** @type {string} */
export const defaultDataDir = shared.DEFAULT_DATA_DIR;

/** DATABASE_URL, or the SQLite file in KEYPORT_DATA_DIR (data/ when unset). */
export function databaseUrl(source = process.env) {
  return shared.databaseUrlFrom(source);
}
