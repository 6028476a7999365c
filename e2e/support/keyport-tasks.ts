// What the specs do to a running Keyport's database the way an operator's script would: through
// the real data layer, with the instance's DATABASE_URL and key ring. These run in a child process
// (in-keyport.ts starts it, keyport-task.ts is its entry) because lib/env and lib/db configure
// themselves from the environment once per process. Plain TypeScript that tsc checks: a renamed
// data-layer function fails the typecheck, not a browser run. Inputs and results cross a process
// boundary as JSON, so keep them plain data.
import { openColumn, SEALED } from "../../lib/crypto/app-ring";
import { dependentsFor, saveCredentials } from "../../lib/data/x-credentials";
import { db } from "../../lib/db";

export type StoredAccount = {
  id: string;
  username: string;
  status: string;
  statusReason: string | null;
  accessTokenSealed: string | null;
  refreshTokenSealed: string | null;
  accessToken: string | null;
  refreshToken: string | null;
};

export const keyportTasks = {
  /** Saves X app credentials for the owner's workspace (its default app, or a brand's override by name). */
  async seedCredentials(input: { clientId: string; clientSecret: string; brandName?: string | undefined }) {
    const owner = await db.membership.findFirstOrThrow({ where: { role: "OWNER" }, include: { user: true } });
    const brand = input.brandName ? await db.brand.findFirstOrThrow({ where: { workspaceId: owner.workspaceId, name: input.brandName } }) : null;
    const scope = { workspaceId: owner.workspaceId, brandId: brand?.id };
    const dependents = await dependentsFor(scope);
    const result = await saveCredentials({
      ...scope,
      actor: { id: owner.userId, name: owner.user.name },
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      confirmAccountsMarked: dependents?.total,
      test: { status: "valid", message: "Seeded by the connect spec." },
    });
    return { status: result.status };
  },

  /** A brand's accounts with their tokens opened, to check they are sealed at rest and work at X. */
  async storedAccounts(input: { brandName: string }): Promise<StoredAccount[]> {
    const rows = await db.connectedAccount.findMany({ where: { brand: { name: input.brandName } }, orderBy: { connectedAt: "asc" } });
    return rows.map((r) => ({
      id: r.id,
      username: r.username,
      status: r.status,
      statusReason: r.statusReason,
      accessTokenSealed: r.accessTokenSealed,
      refreshTokenSealed: r.refreshTokenSealed,
      accessToken: r.accessTokenSealed ? openColumn(SEALED.accessToken, r.id, r.accessTokenSealed) : null,
      refreshToken: r.refreshTokenSealed ? openColumn(SEALED.refreshToken, r.id, r.refreshTokenSealed) : null,
    }));
  },

  /** Every PKCE verifier Keyport has made so far, opened: none may ever appear in a response or log. */
  async storedVerifiers(): Promise<string[]> {
    const rows = await db.connectAttempt.findMany({ select: { id: true, verifierSealed: true } });
    return rows.map((r) => openColumn(SEALED.pkceVerifier, r.id, r.verifierSealed));
  },

  /**
   * A day passes for Keyport: every account's last proof is 25 hours old, its access token has
   * expired and it is due for the sweep now — what the worker would face the next day.
   */
  async aDayPasses(): Promise<number> {
    const now = Date.now();
    const { count } = await db.connectedAccount.updateMany({
      data: { lastProvenAt: new Date(now - 25 * 3_600_000), accessTokenExpiresAt: new Date(now - 60_000), nextCheckAt: new Date(now) },
    });
    return count;
  },

  /** Ends every open connect link's lifetime now. */
  async expireConnectLinks(): Promise<number> {
    return (await db.connectLink.updateMany({ where: { consumedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } })).count;
  },
};

export type KeyportTasks = typeof keyportTasks;
export type KeyportTaskName = keyof KeyportTasks;
