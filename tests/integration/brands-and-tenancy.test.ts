import { beforeAll, describe, expect, it } from "vitest";
import { createBrandAction, deleteBrandAction, renameBrandAction } from "@/lib/actions/brands";
import { changeRoleAction, createInviteAction, removeMemberAction, revokeInviteAction } from "@/lib/actions/members";
import { switchWorkspaceAction } from "@/lib/actions/workspace";
import { getBrand, listBrands } from "@/lib/data/brands";
import { db } from "@/lib/db";
import { actAs, makeWorkspace } from "./helpers";

let a: Awaited<ReturnType<typeof makeWorkspace>>;
let b: Awaited<ReturnType<typeof makeWorkspace>>;
let brandB: { id: string };

beforeAll(async () => {
  a = await makeWorkspace("Agency A", [
    { email: "owner-a@test.dev", role: "OWNER" },
    { email: "admin-a@test.dev", role: "ADMIN" },
    { email: "member-a@test.dev", role: "MEMBER" },
  ]);
  b = await makeWorkspace("Agency B", [
    { email: "owner-b@test.dev", role: "OWNER" },
    { email: "member-b@test.dev", role: "MEMBER" },
  ]);
  brandB = await db.brand.create({ data: { workspaceId: b.workspace.id, name: "B's brand", nameKey: "b's brand" } });
});

describe("brand actions", () => {
  it("an admin creates, renames and deletes a brand", async () => {
    actAs(a.users["admin-a@test.dev"]!);
    const created = await createBrandAction({ name: "  Contoso  " });
    expect(created).toMatchObject({ ok: true, data: { name: "Contoso" } });
    if (!created.ok) return;
    expect(await renameBrandAction({ brandId: created.data.id, name: "Contoso Ltd" })).toEqual({ ok: true, data: undefined });
    expect((await db.brand.findUnique({ where: { id: created.data.id } }))?.name).toBe("Contoso Ltd");
    expect(await deleteBrandAction({ brandId: created.data.id })).toEqual({ ok: true, data: undefined });
    expect(await db.brand.count({ where: { id: created.data.id } })).toBe(0);
  });

  it("a MEMBER is refused by every brand action itself, and nothing changes", async () => {
    actAs(a.users["owner-a@test.dev"]!);
    const made = await createBrandAction({ name: "Keep me" });
    if (!made.ok) throw new Error("setup failed");
    actAs(a.users["member-a@test.dev"]!);
    expect(await createBrandAction({ name: "Sneaky" })).toEqual({ ok: false, error: "Only owners and admins can do that." });
    expect(await renameBrandAction({ brandId: made.data.id, name: "Renamed" })).toMatchObject({ ok: false });
    expect(await deleteBrandAction({ brandId: made.data.id })).toMatchObject({ ok: false });
    expect(await db.brand.findUnique({ where: { id: made.data.id } })).toMatchObject({ name: "Keep me" });
    expect(await db.brand.count({ where: { name: "Sneaky" } })).toBe(0);
  });

  it("a signed-out caller is refused", async () => {
    actAs(null);
    expect(await createBrandAction({ name: "Anon" })).toEqual({ ok: false, error: "You are signed out. Sign in again." });
  });

  it("bad names get a field error, never an exception", async () => {
    actAs(a.users["owner-a@test.dev"]!);
    for (const name of ["", "   ", "x".repeat(10_000), "tab\there", null, 42, { $gt: "" }] as unknown[]) {
      const result = await createBrandAction({ name } as { name: string });
      expect(result.ok, `name ${JSON.stringify(name)?.slice(0, 20)}`).toBe(false);
      if (!result.ok) expect(result.fieldErrors?.name).toBeTruthy();
    }
    const unicode = await createBrandAction({ name: "Ünïcødé 🚀 <b>bold</b> '\"; DROP TABLE Brand;--" });
    expect(unicode).toMatchObject({ ok: true, data: { name: "Ünïcødé 🚀 <b>bold</b> '\"; DROP TABLE Brand;--" } });
  });

  it("malformed ids (NUL, line breaks, huge) are refused before any query, on both databases", async () => {
    actAs(a.users["owner-a@test.dev"]!);
    for (const brandId of ["a\u0000b", "line\nbreak", "x".repeat(65), "", "../etc"]) {
      expect(await renameBrandAction({ brandId, name: "X" })).toMatchObject({ ok: false });
      expect(await deleteBrandAction({ brandId })).toMatchObject({ ok: false });
      expect(await getBrand(a.workspace.id, brandId)).toBeNull();
    }
  });

  it("search is case-insensitive and pages through results", async () => {
    const ws = await makeWorkspace("Search Co", [{ email: "search@test.dev", role: "OWNER" }]);
    for (let i = 0; i < 30; i++) {
      await db.brand.create({ data: { workspaceId: ws.workspace.id, name: `Brand ${String(i).padStart(2, "0")}`, nameKey: `brand ${String(i).padStart(2, "0")}` } });
    }
    await db.brand.create({ data: { workspaceId: ws.workspace.id, name: "Zebra Coffee", nameKey: "zebra coffee" } });
    const first = await listBrands(ws.workspace.id, { q: "", page: 1 });
    expect(first).toMatchObject({ total: 31, pageCount: 2 });
    expect(first.items).toHaveLength(25);
    expect((await listBrands(ws.workspace.id, { q: "", page: 2 })).items.map((x) => x.name)).toContain("Zebra Coffee");
    expect((await listBrands(ws.workspace.id, { q: "ZEBRA", page: 1 })).items.map((x) => x.name)).toEqual(["Zebra Coffee"]);
    expect((await listBrands(a.workspace.id, { q: "zebra", page: 1 })).total).toBe(0);
  });
});

describe("tenancy: workspace A cannot see or change workspace B", () => {
  it("every brand action with B's ids fails and B is untouched", async () => {
    actAs(a.users["owner-a@test.dev"]!);
    expect(await renameBrandAction({ brandId: brandB.id, name: "pwned" })).toEqual({ ok: false, error: "Brand not found." });
    expect(await deleteBrandAction({ brandId: brandB.id })).toEqual({ ok: false, error: "Brand not found." });
    expect(await db.brand.findUnique({ where: { id: brandB.id } })).toMatchObject({ name: "B's brand" });
    expect((await listBrands(a.workspace.id, { q: "", page: 1 })).items.map((x) => x.id)).not.toContain(brandB.id);
  });

  it("every member action with B's ids fails and B is untouched", async () => {
    actAs(a.users["owner-a@test.dev"]!);
    const bMember = await db.membership.findFirstOrThrow({ where: { workspaceId: b.workspace.id, role: "MEMBER" } });
    expect(await changeRoleAction({ membershipId: bMember.id, role: "OWNER" })).toEqual({ ok: false, error: "Member not found." });
    expect(await removeMemberAction({ membershipId: bMember.id })).toEqual({ ok: false, error: "Member not found." });
    actAs(b.users["owner-b@test.dev"]!);
    const invite = await createInviteAction({ email: "new@test.dev", role: "MEMBER" });
    expect(invite.ok).toBe(true);
    const inviteRow = await db.invite.findFirstOrThrow({ where: { workspaceId: b.workspace.id } });
    actAs(a.users["owner-a@test.dev"]!);
    expect(await revokeInviteAction({ inviteId: inviteRow.id })).toEqual({ ok: false, error: "Invite not found or already used." });
    expect(await db.membership.findUnique({ where: { id: bMember.id } })).toMatchObject({ role: "MEMBER" });
    expect(await db.invite.findUnique({ where: { id: inviteRow.id } })).toMatchObject({ revokedAt: null });
  });

  it("switching to a workspace one does not belong to is refused", async () => {
    actAs(a.users["owner-a@test.dev"]!);
    expect(await switchWorkspaceAction(b.workspace.id)).toEqual({ ok: false, error: "Workspace not found." });
    // Even a forged cookie naming B falls back to A.
    actAs(a.users["owner-a@test.dev"]!, b.workspace.id);
    const made = await createBrandAction({ name: "Lands in A" });
    expect(made.ok).toBe(true);
    expect(await db.brand.findFirst({ where: { name: "Lands in A" } })).toMatchObject({ workspaceId: a.workspace.id });
  });
});

describe("member management", () => {
  it("a MEMBER cannot invite, change roles or remove", async () => {
    actAs(a.users["member-a@test.dev"]!);
    const owner = await db.membership.findFirstOrThrow({ where: { workspaceId: a.workspace.id, role: "OWNER" } });
    expect(await createInviteAction({ email: "x@test.dev", role: "MEMBER" })).toMatchObject({ ok: false });
    expect(await changeRoleAction({ membershipId: owner.id, role: "MEMBER" })).toMatchObject({ ok: false });
    expect(await removeMemberAction({ membershipId: owner.id })).toMatchObject({ ok: false });
    expect(await db.invite.count({ where: { workspaceId: a.workspace.id } })).toBe(0);
  });

  it("an admin cannot touch owners or mint owners", async () => {
    actAs(a.users["admin-a@test.dev"]!);
    const owner = await db.membership.findFirstOrThrow({ where: { workspaceId: a.workspace.id, role: "OWNER" } });
    expect(await changeRoleAction({ membershipId: owner.id, role: "MEMBER" })).toEqual({ ok: false, error: "Only owners can change or remove owners." });
    expect(await removeMemberAction({ membershipId: owner.id })).toMatchObject({ ok: false });
    expect(await createInviteAction({ email: "boss@test.dev", role: "OWNER" })).toMatchObject({ ok: false });
  });

  it("the last owner can be neither demoted nor removed", async () => {
    const ws = await makeWorkspace("Solo", [{ email: "solo@test.dev", role: "OWNER" }]);
    actAs(ws.users["solo@test.dev"]!);
    const me = await db.membership.findFirstOrThrow({ where: { workspaceId: ws.workspace.id } });
    const refusal = "A workspace needs at least one owner. Make someone else an owner first.";
    expect(await changeRoleAction({ membershipId: me.id, role: "ADMIN" })).toEqual({ ok: false, error: refusal });
    expect(await removeMemberAction({ membershipId: me.id })).toEqual({ ok: false, error: refusal });
    expect(await db.membership.findUnique({ where: { id: me.id } })).toMatchObject({ role: "OWNER" });
  });

  it("an owner promotes a member, and removal takes away access at once", async () => {
    const ws = await makeWorkspace("Pair", [
      { email: "p-owner@test.dev", role: "OWNER" },
      { email: "p-member@test.dev", role: "MEMBER" },
    ]);
    const member = await db.membership.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, role: "MEMBER" } });
    actAs(ws.users["p-owner@test.dev"]!);
    expect(await changeRoleAction({ membershipId: member.id, role: "ADMIN" })).toEqual({ ok: true, data: undefined });
    actAs(ws.users["p-member@test.dev"]!);
    expect((await createBrandAction({ name: "Now allowed" })).ok).toBe(true);
    actAs(ws.users["p-owner@test.dev"]!);
    expect(await removeMemberAction({ membershipId: member.id })).toEqual({ ok: true, data: undefined });
    actAs(ws.users["p-member@test.dev"]!);
    expect(await createBrandAction({ name: "Not any more" })).toEqual({ ok: false, error: "You are signed out. Sign in again." });
  });
});
