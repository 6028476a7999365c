// First-load JavaScript per page, from a production build's manifests (npm run build first):
// the root chunks every page loads plus the chunks its client-reference manifest lists for each
// segment (root layout, error and not-found boundaries, layouts, the page), each counted once,
// gzip-compressed as a browser receives them. Usage: node bench/first-load-js.mjs [distDir]
// (default KEYPORT_NEXT_DIST_DIR or .next). Exits 1 when a page is over 1.3× the not-found page.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

const dist = process.argv[2] || process.env.KEYPORT_NEXT_DIST_DIR?.trim() || ".next";
const LIMIT = 1.3;
const build = JSON.parse(readFileSync(path.join(dist, "build-manifest.json"), "utf8"));
const root = build.rootMainFiles ?? [];

const gz = new Map();
function gzipBytes(file) {
  if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length);
  return gz.get(file);
}

function manifests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return manifests(p);
    return name === "page_client-reference-manifest.js" ? [p] : [];
  });
}

const rows = [];
for (const file of manifests(path.join(dist, "server", "app"))) {
  const sandbox = { globalThis: {} };
  sandbox.self = sandbox.globalThis;
  vm.runInNewContext(readFileSync(file, "utf8"), sandbox);
  for (const [route, m] of Object.entries(sandbox.globalThis.__RSC_MANIFEST ?? {})) {
    const files = new Set(root);
    for (const chunks of Object.values(m.entryJSFiles ?? {})) for (const c of chunks) files.add(c);
    const bytes = [...files].reduce((sum, f) => sum + gzipBytes(f), 0);
    rows.push({ route: route.replace(/\/page$/, "") || "/", bytes, files: files.size });
  }
}
rows.sort((a, b) => a.route.localeCompare(b.route));
const base = rows.find((r) => r.route === "/_not-found");
if (!base) throw new Error(`no /_not-found page in ${dist}`);
const kb = (n) => (n / 1024).toFixed(1);
console.log(`First-load JS (gzip) in ${dist}; not-found page ${kb(base.bytes)} kB, limit ${LIMIT}× = ${kb(base.bytes * LIMIT)} kB\n`);
console.log("| page | kB gzip | × not-found |\n|---|---:|---:|");
let over = 0;
for (const r of rows) {
  const ratio = r.bytes / base.bytes;
  if (ratio > LIMIT) over++;
  console.log(`| ${r.route} | ${kb(r.bytes)} | ${ratio.toFixed(2)}${ratio > LIMIT ? " ✗" : ""} |`);
}
console.log(`\n${over === 0 ? "every page is within" : `${over} page(s) over`} ${LIMIT}× the not-found page`);
process.exitCode = over ? 1 : 0;
