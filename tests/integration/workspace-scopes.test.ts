// The workspace's optional X scopes: only owners and admins change them, only known scopes are
// kept (companions added), each change is audited, and the next connection asks for them.
import { describe, expect, it } from "vitest";
import { setExtraScopesAction } from "@/lib/actions/scopes";
import { db } from "@/lib/db";
import { getExtraScopes, workspaceRequestedScopes } from "@/lib/data/workspace-scopes";
import { actAs, makeWorkspace } from "./helpers";

describe("optional scopes setting", () => {
  it("an admin adds DMs (both halves), a member cannot, another workspace is untouched; changes are audited", async () => {
    const { workspace, users } = await makeWorkspace("Scopes Agency", [
      { email: "admin@scopes.test", role: "ADMIN" },
      { email: "member@scopes.test", role: "MEMBER" },
    ]);
    const other = await makeWorkspace("Other Agency", [{ email: "owner@other-scopes.test", role: "OWNER" }]);
    expect(await workspaceRequestedScopes(workspace.id)).toEqual(["tweet.read", "tweet.write", "users.read", "offline.access"]);

    actAs(users["member@scopes.test"]!, workspace.id);
    const refused = await setExtraScopesAction({ scopes: ["dm.read"] });
    expect(refused.ok).toBe(false);
    expect(await getExtraScopes(workspace.id)).toEqual([]);

    actAs(users["admin@scopes.test"]!, workspace.id);
    const saved = await setExtraScopesAction({ scopes: ["dm.read", "like.write"] });
    expect(saved).toEqual({ ok: true, data: ["like.write", "dm.read", "dm.write"] });
    expect(await workspaceRequestedScopes(workspace.id)).toEqual(["tweet.read", "tweet.write", "users.read", "offline.access", "like.write", "dm.read", "dm.write"]);
    expect(await getExtraScopes(other.workspace.id)).toEqual([]);
    const audit = await db.auditEvent.findMany({ where: { workspaceId: workspace.id, action: "workspace.scopes_changed" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toContain("like.write, dm.read, dm.write");

    // Unknown or default scopes are not options.
    for (const scopes of [["users.email"], ["tweet.read"], "dm.read", [1]]) {
      const result = await setExtraScopesAction({ scopes });
      expect(result.ok).toBe(false);
    }
    expect(await getExtraScopes(workspace.id)).toEqual(["like.write", "dm.read", "dm.write"]);

    expect(await setExtraScopesAction({ scopes: [] })).toEqual({ ok: true, data: [] });
    expect(await workspaceRequestedScopes(workspace.id)).toEqual(["tweet.read", "tweet.write", "users.read", "offline.access"]);
  });
});
