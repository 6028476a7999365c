import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: { alias: { "@": root, "server-only": `${root}node_modules/server-only/empty.js` } },
  test: {
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // next-auth imports "next/server" without an extension, which only Vite's resolver accepts.
    server: { deps: { inline: ["next-auth"] } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "e2e/x-emulator/**/*.test.ts", "scripts/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/integration/global-setup.ts"],
          setupFiles: ["tests/integration/setup.ts"],
          // Each file gets its own database; files still run one at a time so PostgreSQL and
          // SQLite runs don't fight over 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
