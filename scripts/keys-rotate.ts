// npm run keys:rotate — re-seal every stored secret under the current encryption key (the first
// in KEYPORT_ENCRYPTION_KEYS), online and in batches, then check that every value opens with that
// key alone. Only then does it say the older keys may be removed, and only then does it exit 0.
// Prints counts only, never a value.
import { appKeyRing } from "../lib/crypto/app-ring";
import { createDb } from "../lib/db";
import { rotateKeys } from "../lib/data/key-rotation";

async function main() {
  const batchSize = Number(process.argv.find((a) => a.startsWith("--batch="))?.slice(8) ?? 200);
  const db = createDb();
  try {
    const done = await rotateKeys(db, appKeyRing(), (line) => console.log(line), { batchSize });
    if (!done) process.exitCode = 1;
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
