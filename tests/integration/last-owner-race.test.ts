// "A workspace always keeps an owner" under concurrency: two Keyport processes on the same
// database (as two app instances, or two requests) demote, remove or leave at the same moment.
// Round after round, exactly one of the two wins, the other is refused (it is no longer an owner,
// or it would be the last one to go), nothing fails, and an owner remains.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { makeUser } from "./helpers";

const ROUNDS = 25;

type Worker = { call: (op: string, args: string[]) => Promise<{ result?: string; error?: string }>; stop: () => void };

function startWorker(): Promise<Worker> {
  const child: ChildProcess = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.resolve("tests/integration/support/members-worker.ts")], {
    env: { ...process.env, NODE_ENV: "test" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting = new Map<number, (answer: { result?: string; error?: string }) => void>();
  let next = 0;
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`members worker exited (${code})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const message = JSON.parse(line) as { ready?: boolean; id?: number; result?: string; error?: string };
      if (message.ready) {
        resolve({
          call: (op, args) =>
            new Promise((done) => {
              const id = next++;
              waiting.set(id, done);
              child.stdin!.write(JSON.stringify({ id, op, args }) + "\n");
            }),
          stop: () => child.stdin!.end(),
        });
        return;
      }
      waiting.get(message.id!)?.(message);
      waiting.delete(message.id!);
    });
  });
}

let one: Worker;
let two: Worker;
let a: string;
let b: string;

beforeAll(async () => {
  [one, two] = await Promise.all([startWorker(), startWorker()]);
  a = (await makeUser("ada@race.test")).id;
  b = (await makeUser("bo@race.test")).id;
}, 60_000);
afterAll(() => {
  one?.stop();
  two?.stop();
});

/** A fresh workspace whose only owners are Ada and Bo. */
async function twoOwners(round: number) {
  const workspace = await db.workspace.create({ data: { name: `Race ${round}` } });
  const ma = await db.membership.create({ data: { workspaceId: workspace.id, userId: a, role: "OWNER" } });
  const mb = await db.membership.create({ data: { workspaceId: workspace.id, userId: b, role: "OWNER" } });
  return { ws: workspace.id, ma: ma.id, mb: mb.id };
}

async function owners(ws: string) {
  return db.membership.count({ where: { workspaceId: ws, role: "OWNER" } });
}

type Step = (w: Awaited<ReturnType<typeof twoOwners>>) => [op: string, args: string[]];

async function race(first: Step, second: Step) {
  const outcomes: string[][] = [];
  const left: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const w = await twoOwners(round);
    const [opA, argsA] = first(w);
    const [opB, argsB] = second(w);
    const answers = await Promise.all([one.call(opA, argsA), two.call(opB, argsB)]);
    outcomes.push(answers.map((x) => x.error ?? x.result!).sort());
    left.push(await owners(w.ws));
  }
  return { outcomes, left };
}

describe("the last owner stays, whatever happens at the same moment", () => {
  // Whoever goes second has just been demoted or removed by the first: no longer an owner, they
  // may not touch an owner ("forbidden"), let alone the last one.
  it("two owners demote each other: one wins, the other is refused", async () => {
    const { outcomes, left } = await race(
      (w) => ["changeMemberRole", [w.ws, a, w.mb, "ADMIN"]],
      (w) => ["changeMemberRole", [w.ws, b, w.ma, "MEMBER"]],
    );
    expect(left.every((n) => n === 1)).toBe(true);
    expect(outcomes).toEqual(Array(ROUNDS).fill(["forbidden", "ok"]));
  });

  it("two owners remove each other: one wins, the other is refused", async () => {
    const { outcomes, left } = await race(
      (w) => ["removeMember", [w.ws, a, w.mb]],
      (w) => ["removeMember", [w.ws, b, w.ma]],
    );
    expect(left.every((n) => n === 1)).toBe(true);
    expect(outcomes).toEqual(Array(ROUNDS).fill(["forbidden", "ok"]));
  });

  it("both owners leave: one goes, the other is told they are the last owner", async () => {
    const { outcomes, left } = await race(
      (w) => ["leaveWorkspace", [w.ws, a]],
      (w) => ["leaveWorkspace", [w.ws, b]],
    );
    expect(left.every((n) => n === 1)).toBe(true);
    expect(outcomes).toEqual(Array(ROUNDS).fill(["last-owner", "ok"]));
  });

  it("one owner demotes the other while that one leaves: an owner remains, nothing fails", async () => {
    const { outcomes, left } = await race(
      (w) => ["changeMemberRole", [w.ws, a, w.mb, "ADMIN"]],
      (w) => ["leaveWorkspace", [w.ws, b]],
    );
    expect(left.every((n) => n === 1)).toBe(true);
    // Demote first: Bo, now an admin, may leave. Leave first: there is no one left to demote.
    for (const o of outcomes) expect([["ok", "ok"], ["not-found", "ok"]]).toContainEqual(o);
  });

  it("an owner demotes or removes the other, then is refused as the last owner", async () => {
    const w = await twoOwners(200);
    expect(await one.call("changeMemberRole", [w.ws, a, w.mb, "ADMIN"])).toEqual({ id: expect.any(Number), result: "ok" });
    expect(await two.call("changeMemberRole", [w.ws, a, w.ma, "ADMIN"])).toMatchObject({ result: "last-owner" });
    expect(await two.call("removeMember", [w.ws, a, w.ma])).toMatchObject({ result: "last-owner" });
    expect(await owners(w.ws)).toBe(1);
  });

  it("an owner demoted a moment ago no longer acts as one", async () => {
    const carol = (await makeUser("carol@race.test")).id;
    for (let round = 0; round < 5; round++) {
      const w = await twoOwners(100 + round);
      const mc = await db.membership.create({ data: { workspaceId: w.ws, userId: carol, role: "OWNER" } });
      // Ada and Bo demote each other while Carol stays an owner: both may not win, since whoever
      // goes second is no longer an owner.
      const answers = await Promise.all([one.call("changeMemberRole", [w.ws, a, w.mb, "ADMIN"]), two.call("changeMemberRole", [w.ws, b, w.ma, "ADMIN"])]);
      expect(answers.map((x) => x.error ?? x.result).sort()).toEqual(["forbidden", "ok"]);
      expect(await owners(w.ws)).toBe(2);
      expect(mc.role).toBe("OWNER");
    }
  });
});
