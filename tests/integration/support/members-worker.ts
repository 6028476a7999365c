// A second (or third) Keyport process for race tests: the real data layer of lib/data/members on
// the test's database, driven over stdin/stdout one JSON line per call, so that two processes
// can change memberships at the same moment as two app instances (or two requests) would.
import { createInterface } from "node:readline";
import { changeMemberRole, leaveWorkspace, removeMember } from "../../../lib/data/members";
import { db } from "../../../lib/db";

type Call = { id: number; op: "changeMemberRole" | "removeMember" | "leaveWorkspace"; args: string[] };

const ops = {
  changeMemberRole: (a: string[]) => changeMemberRole(a[0]!, a[1]!, a[2]!, a[3] as "OWNER" | "ADMIN" | "MEMBER"),
  removeMember: (a: string[]) => removeMember(a[0]!, a[1]!, a[2]!),
  leaveWorkspace: (a: string[]) => leaveWorkspace(a[0]!, a[1]!),
};

// Open the connection before saying ready, so the first call is not slowed by it.
await db.membership.count();
process.stdout.write(JSON.stringify({ ready: true }) + "\n");

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const call = JSON.parse(line) as Call;
  ops[call.op](call.args).then(
    (result) => process.stdout.write(JSON.stringify({ id: call.id, result }) + "\n"),
    (error: unknown) => process.stdout.write(JSON.stringify({ id: call.id, error: `${(error as Error)?.name}: ${(error as Error)?.message}` }) + "\n"),
  );
}
await db.$disconnect();
