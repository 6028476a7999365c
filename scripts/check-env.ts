// Validates configuration (and, for a local start, creates the secrets file) before anything
// else runs, so a bad variable stops `npm start` with a message naming it.
import { ConfigError } from "../lib/env";

try {
  const { env } = await import("../lib/env");
  const where = env.databaseKind === "postgres" ? "PostgreSQL" : `SQLite (${env.DATABASE_URL.replace(/^file:/, "")})`;
  console.log(`[keyport] database: ${where}; public URL: ${env.KEYPORT_PUBLIC_URL}${env.xSandbox ? "; X: sandbox emulator" : ""}`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`[keyport] ${error.message}`);
    process.exit(78);
  }
  throw error;
}
