import path from "node:path";
import { defineConfig } from "@playwright/test";
import { OUTPUT_DIR } from "./e2e/support/global-setup";

// Debian's Chromium, never a downloaded browser (nothing outside the npm registry and Debian
// is reachable). The flags stop Chromium calling home, which this network refuses.
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  outputDir: path.join(OUTPUT_DIR, "playwright"),
  globalSetup: "./e2e/support/global-setup.ts",
  fullyParallel: false,
  // Two spec files at a time: each has its own Keyport, emulator and database (support/sandbox.ts),
  // and a journey spends most of its time waiting on a server, so two fit on two cores.
  // KEYPORT_E2E_WORKERS=1 runs them one by one.
  workers: Number(process.env.KEYPORT_E2E_WORKERS) || 2,
  retries: 0,
  // Journeys here walk a dozen pages, each served by a production build on a 2-core machine.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: CHROMIUM_ARGS },
    trace: "retain-on-failure",
    actionTimeout: 10_000,
  },
});
