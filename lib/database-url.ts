// Which database a DATABASE_URL points at, and the one place that decides the default: the SQLite
// file keyport.db inside KEYPORT_DATA_DIR (default data/). Shared by the Prisma CLI config, lib/env,
// lib/db and the .mjs scripts (through tsx), so it must stay free of Next and Prisma imports.
import path from "node:path";

export const DEFAULT_DATA_DIR = "data";

/** The SQLite file inside a data directory: `data` → `file:./data/keyport.db`. */
export function defaultDatabaseUrl(dataDir: string = DEFAULT_DATA_DIR): string {
  const file = path.join(dataDir, "keyport.db");
  return `file:${path.isAbsolute(file) ? file : `./${file}`}`;
}

/** DATABASE_URL when set (not blank), else the SQLite file in KEYPORT_DATA_DIR (else data/). */
export function databaseUrlFrom(source: Record<string, string | undefined>): string {
  const url = source.DATABASE_URL?.trim();
  if (url) return url;
  return defaultDatabaseUrl(source.KEYPORT_DATA_DIR?.trim() || DEFAULT_DATA_DIR);
}

export type DatabaseKind = "sqlite" | "postgres";

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/** `file:./data/keyport.db` → an absolute path, resolved from the working directory. */
export function sqliteFilePath(url: string, cwd = process.cwd()): string {
  const raw = url.replace(/^file:/i, "").replace(/\?.*$/, "");
  if (!raw) throw new Error("DATABASE_URL names no SQLite file");
  return path.resolve(cwd, raw);
}

/** Discrete connection fields: the pg adapter in the Prisma CLI mishandles some URL forms. */
export function postgresConfig(url: string) {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres";
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username || "postgres"),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
    ssl: u.searchParams.get("sslmode") === "require" ? { rejectUnauthorized: false } : undefined,
  };
}
