// KEYPORT_NEXT_DIST_DIR moves the whole build: Next's distDir and the stamp scripts/build.mjs
// keeps beside it, so two test runs with different directories never share a build.
import { afterEach, describe, expect, it, vi } from "vitest";

const load = async () => {
  vi.resetModules();
  // @ts-expect-error -- plain ESM config without type declarations
  const config = (await import("../next.config.mjs")).default as { distDir: string; typescript?: { tsconfigPath?: string } };
  // @ts-expect-error -- plain ESM script without type declarations
  const { distDir } = (await import("./build.mjs")) as { distDir: () => string };
  return { config, distDir: distDir() };
};

describe("the build directory", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("is .next by default, type-checked with tsconfig.json", async () => {
    vi.stubEnv("KEYPORT_NEXT_DIST_DIR", "");
    const { config, distDir } = await load();
    expect(config.distDir).toBe(".next");
    expect(config.typescript?.tsconfigPath).toBeUndefined();
    expect(distDir).toBe(".next");
  });

  it("follows KEYPORT_NEXT_DIST_DIR for Next and the build stamp alike", async () => {
    vi.stubEnv("KEYPORT_NEXT_DIST_DIR", ".next-e2e-a");
    const { config, distDir } = await load();
    expect(config.distDir).toBe(".next-e2e-a");
    // Next would otherwise add .next-e2e-a/types to tsconfig.json, a committed file.
    expect(config.typescript?.tsconfigPath).toBe("tsconfig.dist.json");
    expect(distDir).toBe(".next-e2e-a");
  });
});
