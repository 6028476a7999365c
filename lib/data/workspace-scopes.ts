// The optional X scopes a workspace asks for beyond Keyport's least-privilege default.
import "server-only";
import { db } from "../db";
import { normalizeExtraScopes, requestedScopes, type KeyportScope, type OptionalScope } from "../x/scopes";
import { recordAudit } from "./audit";

export async function getExtraScopes(workspaceId: string): Promise<OptionalScope[]> {
  const row = await db.workspace.findUnique({ where: { id: workspaceId }, select: { extraScopes: true } });
  return normalizeExtraScopes(row?.extraScopes);
}

/** What a connection in this workspace asks X for. */
export async function workspaceRequestedScopes(workspaceId: string): Promise<KeyportScope[]> {
  return requestedScopes(await getExtraScopes(workspaceId));
}

export async function setExtraScopes(input: { workspaceId: string; actor: { id: string; name: string }; scopes: readonly string[] }): Promise<OptionalScope[]> {
  const scopes = normalizeExtraScopes(input.scopes);
  const before = await getExtraScopes(input.workspaceId);
  if (before.join(" ") === scopes.join(" ")) return scopes;
  await db.$transaction(async (tx) => {
    await tx.workspace.update({ where: { id: input.workspaceId }, data: { extraScopes: scopes.join(" ") } });
    await recordAudit(
      {
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: "workspace.scopes_changed",
        summary: scopes.length ? `New connections also ask for ${scopes.join(", ")}.` : "New connections ask only for the default scopes.",
      },
      tx,
    );
  });
  return scopes;
}
