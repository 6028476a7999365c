// A second Keyport process for the key-rotation race (tests/integration/key-rotation-race.test.ts):
// until told to stop, it keeps refreshing the given accounts' tokens (the way a busy instance
// would) and editing their credential row, and reports what it saw. With `--verify` it instead
// refreshes each account once more and reports how many grants still work. Run with
// `node --conditions=react-server --import tsx`; configuration comes from the environment.
import { existsSync, writeFileSync } from "node:fs";
import { getValidAccessToken } from "@/lib/connections/tokens";
import { db } from "@/lib/db";

const [mode, workspaceId, credentialId, stopFile, ...accountIds] = process.argv.slice(2);

async function churn() {
  let refreshes = 0;
  let failures = 0;
  let transient = 0;
  const reasons: string[] = [];
  const edits: { at: string }[] = [];
  while (!existsSync(stopFile!)) {
    for (const id of accountIds) {
      await db.connectedAccount.updateMany({ where: { id, workspaceId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
      const result = await getValidAccessToken(workspaceId!, id);
      if (result.ok) refreshes++;
      // X (the emulator) answering late on a loaded machine is no loss: the tokens are kept.
      else if (result.reason === "transient") transient++;
      else {
        failures++;
        reasons.push(JSON.stringify(result));
      }
    }
    // An edit of the credential row: its updatedAt must never move back afterwards.
    const edited = await db.xCredential.update({ where: { id: credentialId }, data: { lastTestMessage: `edited ${Date.now()}` }, select: { updatedAt: true } });
    edits.push({ at: edited.updatedAt.toISOString() });
    // How far along we are, for the test to pace its rotations by.
    writeFileSync(`${stopFile}.progress`, String(edits.length));
  }
  return { refreshes, failures, transient, reasons: reasons.slice(0, 5).join(" | "), lastEdit: edits.at(-1)?.at ?? null, edits: edits.length };
}

async function verify() {
  let working = 0;
  for (const id of accountIds) {
    await db.connectedAccount.updateMany({ where: { id, workspaceId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
    if ((await getValidAccessToken(workspaceId!, id)).ok) working++;
  }
  return { working };
}

const result = mode === "--verify" ? await verify() : await churn();
await db.$disconnect();
process.stdout.write(JSON.stringify(result));
