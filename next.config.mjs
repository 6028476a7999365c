// KEYPORT_NEXT_DIST_DIR moves the build (default .next) so several test runs in one checkout can
// build and serve side by side; scripts/build.mjs and e2e/support follow it. A build elsewhere
// type-checks with tsconfig.dist.json: Next would otherwise add that directory's types to
// tsconfig.json (its own next-env.d.ts rewrite is undone by scripts/build.mjs).
const distDir = process.env.KEYPORT_NEXT_DIST_DIR?.trim() || ".next";

/** @type {import('next').NextConfig} */
const nextConfig = {
  distDir,
  ...(distDir === ".next" ? {} : { typescript: { tsconfigPath: "tsconfig.dist.json" } }),
  poweredByHeader: false,
  reactStrictMode: true,
  // The generated Prisma clients and the emulator are TypeScript sources of ours; nothing to
  // transpile from node_modules.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
        ],
      },
    ];
  },
};

export default nextConfig;
