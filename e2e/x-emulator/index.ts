// startXEmulator(): the stateful stand-in for X (contract: ../shared/x-api-contract.md) on its
// own port, for Vitest, Playwright, `npm run x-emulator` and `npm run demo`.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { XEmulatorControl } from "./control-client";
import { createHandler } from "./server";
import { EmulatorState } from "./state";
import { DEFAULT_SWITCHES, mergeSwitches } from "./switches";
import type { PricesPatch, Seed, Switches } from "./types";

export { XEmulatorControl, XEmulatorControlError } from "./control-client";
export { DEFAULT_SWITCHES } from "./switches";
export type * from "./types";

export const DEFAULT_SEED_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), "seed.json");

export type XEmulatorOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** A seed object or a path to a seed JSON file; defaults to seed.json beside this file. */
  seed?: Seed | string;
  /** Start-up switches; reset() returns to these. */
  switches?: Partial<Switches>;
  /** Start-up prices, over the seed's `prices`; reset() returns to these. */
  prices?: PricesPatch;
  /** Print one line per request (method, path, status; never parameters). */
  verbose?: boolean;
};

export type XEmulator = {
  /** Origin, e.g. http://127.0.0.1:4010. */
  url: string;
  port: number;
  /** For X_AUTHORIZE_URL. */
  authorizeUrl: string;
  /** For X_API_BASE_URL. */
  apiBaseUrl: string;
  control: XEmulatorControl;
  seed: Seed;
  close(): Promise<void>;
};

export function loadSeed(seed: Seed | string = DEFAULT_SEED_PATH): Seed {
  const value = typeof seed === "string" ? (JSON.parse(readFileSync(path.resolve(seed), "utf8")) as Seed) : seed;
  if (!value || !Array.isArray(value.apps) || !Array.isArray(value.users)) throw new Error("a seed needs apps and users arrays");
  return value;
}

export async function startXEmulator(options: XEmulatorOptions = {}): Promise<XEmulator> {
  const loaded = loadSeed(options.seed);
  const seed: Seed = options.prices ? { ...loaded, prices: { ...loaded.prices, ...options.prices } } : loaded;
  const switches = mergeSwitches(DEFAULT_SWITCHES, options.switches ?? {});
  const host = options.host ?? "127.0.0.1";
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let state: EmulatorState;
  try {
    state = new EmulatorState(seed, switches, url);
  } catch (error) {
    server.close();
    throw error;
  }
  server.on("request", createHandler(state, { verbose: options.verbose }));

  return {
    url,
    port,
    authorizeUrl: `${url}/i/oauth2/authorize`,
    apiBaseUrl: url,
    control: new XEmulatorControl(url),
    seed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
