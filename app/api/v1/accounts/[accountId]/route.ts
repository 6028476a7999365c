// GET /api/v1/accounts/{accountId} — one connected account's health: status, reason, since, app,
// scopes, last check. Accounts of other workspaces are simply not found.
import { accountJson } from "@/lib/api/dto";
import { apiHandler, otherMethods } from "@/lib/api/handler";
import { getAccount } from "@/lib/api/operations";
import { problem } from "@/lib/api/problem-response";
import { getAccountForApi } from "@/lib/data/api-accounts";

export const dynamic = "force-dynamic";

export const GET = apiHandler(getAccount, async ({ key, params }) => {
  const account = await getAccountForApi(key.workspaceId, params.accountId);
  if (!account) return problem("not_found", "No account with this id in the key's workspace.");
  return { status: 200, body: accountJson(account) };
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
