// POST /api/v1/brands/{brandId}/connect-links — a hosted connect (or, with accountId, reconnect)
// link, so onboarding a client can start from the agency's CRM. The URL is in this answer only.
import { apiHandler, otherMethods } from "@/lib/api/handler";
import { createConnectLink } from "@/lib/api/operations";
import { problem } from "@/lib/api/problem-response";
import { API_KEY_CREATOR, createConnectLinkFor } from "@/lib/data/connect-links";

export const dynamic = "force-dynamic";

export const POST = apiHandler(createConnectLink, async ({ key, params, body }) => {
  const created = await createConnectLinkFor({
    workspaceId: key.workspaceId,
    brandId: params.brandId,
    createdById: `${API_KEY_CREATOR}${key.id}`,
    expiresInHours: body.expiresInHours,
    accountId: body.accountId,
    // A link the client could only fail with is refused here rather than sent.
    requireApp: true,
  });
  switch (created.status) {
    case "brand-not-found":
      return problem("not_found", "No brand with this id in the key's workspace.");
    case "account-not-found":
      return problem("not_found", "No account with this accountId in the key's workspace.");
    case "account-not-in-brand":
      return problem("account_not_in_brand", "That account is connected to another brand; make the reconnect link on its own brand.");
    case "no-app":
      return problem("no_x_app", "Neither this brand nor the workspace has an X app set up, so the client could not connect. Set one up under X app first.");
  }
  return {
    status: 201,
    body: { id: created.id, url: created.url, brandId: params.brandId, expiresAt: created.expiresAt.toISOString(), reconnect: created.reconnect },
  };
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
