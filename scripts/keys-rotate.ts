// npm run keys:rotate — re-seal every stored secret under the current encryption key (the first
// in KEYPORT_ENCRYPTION_KEYS), online and in batches. Afterwards older keys can be dropped from
// the ring once this reports no failures. Prints counts only, never a value.
import { appKeyRing } from "../lib/crypto/app-ring";
import { createDb } from "../lib/db";
import { resealAll } from "../lib/data/key-rotation";

async function main() {
  const ring = appKeyRing();
  const batchSize = Number(process.argv.find((a) => a.startsWith("--batch="))?.slice(8) ?? 200);
  console.log(`Re-sealing under key "${ring.current.id}" (ring: ${[...ring.keys.keys()].join(", ")}), batches of ${batchSize}…`);
  const db = createDb();
  try {
    const report = await resealAll(db, ring, { batchSize });
    let failed = 0;
    for (const [table, c] of Object.entries(report)) {
      failed += c.failed;
      console.log(
        `${table}: ${c.scanned} sealed values, ${c.resealed} re-sealed, ${c.current} already current, ` +
          `${c.changedMeanwhile} changed meanwhile (already current), ${c.failed} could not be opened`,
      );
    }
    if (failed > 0) {
      console.error(`${failed} values could not be opened with any key in the ring: keep the old keys until they are resolved.`);
      process.exitCode = 1;
    } else {
      console.log("Done. Every value is sealed under the current key; older keys may now be removed from the ring.");
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
