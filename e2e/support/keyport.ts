// Starts a real Keyport (`next start` on the production build) on its own port, data directory
// and SQLite file, so each spec begins from a fresh installation. Logs are kept for leak scans.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { NEXT_DIST_DIR, OUTPUT_DIR, TEMPLATE_DB } from "./global-setup";

export type Keyport = {
  url: string;
  port: number;
  dataDir: string;
  /** The database it runs on (a copy of the migrated template unless one was given). */
  databaseUrl: string;
  /** The environment it was launched with beyond the defaults (e.g. shared secrets, X URLs). */
  env: Record<string, string>;
  logs: () => string;
  stop: () => Promise<void>;
  restart: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function launchKeyport(options: { env?: Record<string, string>; databaseUrl?: string; dataDir?: string } = {}): Promise<Keyport> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(OUTPUT_DIR, "e2e-"));
  const databaseUrl = options.databaseUrl ?? copyTemplate(dataDir);
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  let child: ChildProcess | null = null;

  const start = async () => {
    child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        KEYPORT_NEXT_DIST_DIR: NEXT_DIST_DIR,
        DATABASE_URL: databaseUrl,
        KEYPORT_DATA_DIR: dataDir,
        KEYPORT_PUBLIC_URL: url,
        // No background worker unless a spec asks for it: its sweeps would call the emulator
        // behind the specs' backs and make their request counts depend on timing.
        KEYPORT_WORKER: "off",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`Keyport exited early:\n${output}`);
      const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`Keyport did not become healthy on ${url}:\n${output}`);
  };

  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
      setTimeout(() => running.kill("SIGKILL"), 5_000).unref();
    });
  };

  await start();
  return { url, port, dataDir, databaseUrl, env: { ...options.env }, logs: () => output, stop, restart: async () => (await stop(), await start()) };
}

function copyTemplate(dataDir: string): string {
  const file = path.join(dataDir, "keyport.db");
  copyFileSync(TEMPLATE_DB, file);
  return `file:${file}`;
}
