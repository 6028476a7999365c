// The in-app signals' numbers: the Reconnect badge counts accounts needing reconnection or
// degraded in the current workspace only (and stops counting at its cap); a brand's banner
// groups its own accounts by why they need attention.
import { describe, expect, it } from "vitest";
import { ATTENTION_CAP, brandAttention, countNeedingAttention } from "@/lib/data/attention";
import { db } from "@/lib/db";
import { makeWorkspace } from "./helpers";

let n = 0;
async function accounts(workspaceId: string, brandId: string, statuses: [string, string | null][]) {
  await db.connectedAccount.createMany({
    data: statuses.map(([status, statusReason]) => {
      n++;
      return { id: `acct${n}`, workspaceId, brandId, xUserId: String(n), name: `A${n}`, username: `a${n}`, grantedScopes: "", credentialId: "c", credentialVersion: 1, status, statusReason };
    }),
  });
}

describe("attention counts", () => {
  it("count needs-reconnect and degraded accounts of this workspace, and group a brand's by reason", async () => {
    const { workspace } = await makeWorkspace("Attention", [{ email: "att@example.com", role: "OWNER" }]);
    const { workspace: other } = await makeWorkspace("Elsewhere", [{ email: "else@example.com", role: "OWNER" }]);
    const lantern = await db.brand.create({ data: { workspaceId: workspace.id, name: "Lantern", nameKey: "lantern" } });
    const north = await db.brand.create({ data: { workspaceId: workspace.id, name: "North", nameKey: "north" } });
    const theirs = await db.brand.create({ data: { workspaceId: other.id, name: "Theirs", nameKey: "theirs" } });
    await accounts(workspace.id, lantern.id, [
      ["NEEDS_RECONNECT", "token-revoked"],
      ["NEEDS_RECONNECT", "token-revoked"],
      ["DEGRADED", "x-unavailable"],
      ["ACTIVE", null],
      ["DISCONNECTED", null],
    ]);
    await accounts(workspace.id, north.id, [["NEEDS_RECONNECT", "app-credentials"], ["ACTIVE", null]]);
    await accounts(other.id, theirs.id, [["NEEDS_RECONNECT", "token-revoked"]]);

    expect(await countNeedingAttention(workspace.id)).toBe(4);
    expect(await countNeedingAttention(other.id)).toBe(1);
    expect(await brandAttention(workspace.id, lantern.id)).toEqual({
      count: 3,
      of: 4,
      reasons: [
        { status: "NEEDS_RECONNECT", code: "token-revoked", label: "Access revoked at X", fix: expect.stringContaining("revoked"), count: 2 },
        { status: "DEGRADED", code: "x-unavailable", label: "X keeps failing", fix: expect.stringContaining("retries"), count: 1 },
      ],
    });
    expect((await brandAttention(workspace.id, north.id)).reasons.map((r) => r.code)).toEqual(["app-credentials"]);
    // Another workspace's brand id gives nothing.
    expect(await brandAttention(workspace.id, theirs.id)).toEqual({ count: 0, of: 0, reasons: [] });
  });

  it("stops counting past the cap (the badge then says 999+)", async () => {
    const { workspace } = await makeWorkspace("Many", [{ email: "many@example.com", role: "OWNER" }]);
    const brand = await db.brand.create({ data: { workspaceId: workspace.id, name: "Big", nameKey: "big" } });
    await accounts(workspace.id, brand.id, Array.from({ length: ATTENTION_CAP + 5 }, () => ["NEEDS_RECONNECT", "token-revoked"] as [string, string]));
    expect(await countNeedingAttention(workspace.id)).toBe(ATTENTION_CAP + 1);
  });
});
