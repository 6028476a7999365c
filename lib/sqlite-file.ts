// Who may read the SQLite database. It holds password hashes and sealed X credentials, so it is
// created owner-only (600) in an owner-only directory (700) by whichever runs first: the
// migration script, the Prisma CLI config or the app. SQLite gives the -wal and -shm files the
// main file's mode, so creating the main file ourselves, before SQLite does (it would use 644
// under the usual umask), covers them too. Shared by scripts/migrate.mjs (through tsx),
// prisma.config.ts and lib/db.ts, so it must stay free of Next and Prisma imports.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from "node:fs";
import path from "node:path";

const COMPANIONS = ["", "-wal", "-shm", "-journal"];

/**
 * Creates the file's directory (700) and the file (600) if they are missing. In Keyport's own
 * data directory an existing file that others may read is tightened to 600; a database placed
 * elsewhere is the operator's to manage, so there it is only reported. Returns the warnings.
 */
export function prepareSqliteFile(file: string, dataDir: string): string[] {
  const target = path.resolve(file);
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(target, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const ours = isInside(target, path.resolve(dataDir));
  const warnings: string[] = [];
  for (const companion of COMPANIONS.map((suffix) => target + suffix)) {
    const mode = modeOf(companion);
    if (mode === null || (mode & 0o077) === 0) continue;
    if (ours) {
      chmodSync(companion, 0o600);
    } else if (mode & 0o044) {
      warnings.push(
        `[keyport] ${companion} is readable by ${mode & 0o004 ? "every user on this machine" : "its group"} (mode ${mode.toString(8)}). ` +
          `It holds password hashes and sealed X credentials: chmod 600 "${companion}".`,
      );
    }
  }
  return warnings;
}

function modeOf(file: string): number | null {
  try {
    return statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}
