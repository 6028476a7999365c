import { z } from "zod";
import { component, idParam, page, pagingQuery, timestamp } from "./common";

export const API_ACCOUNT_STATUSES = ["active", "degraded", "needs_reconnect", "disconnected"] as const;

export const accountSchema = component(
  "Account",
  z
    .object({
      id: idParam,
      brandId: idParam,
      xUserId: z.string().meta({ description: "The account's user id at X." }),
      username: z.string().meta({ description: "@handle without the @." }),
      name: z.string(),
      avatarUrl: z.string().nullable(),
      status: z.enum(API_ACCOUNT_STATUSES).meta({ description: "degraded: X has been failing for this account for a long while (tokens kept, nothing to reconnect); needs_reconnect: only a new authorization helps." }),
      reason: z
        .object({
          code: z.string().meta({ description: "Stable reason code, e.g. token-revoked, missing-scopes, app-credentials-replaced." }),
          label: z.string(),
          fix: z.string().meta({ description: "What a person should do about it." }),
        })
        .nullable()
        .meta({ description: "Why the account is not active; null when status is active or disconnected." }),
      since: timestamp.nullable().meta({ description: "When the account entered its current status." }),
      connectedAt: timestamp,
      app: z
        .object({
          source: z.enum(["brand", "workspace", "instance", "removed"]).meta({ description: "The brand's own X app, the workspace default, the instance app set by the operator, or credentials since removed." }),
          clientIdPreview: z.string().nullable().meta({ description: "The first 6 characters of the app's Client ID; null if removed." }),
          current: z.boolean().meta({ description: "False when the app's credentials were replaced after this account connected." }),
        })
        .meta({ description: "Which X app the account's tokens belong to." }),
      grantedScopes: z.array(z.string()).meta({ description: "OAuth scopes X granted." }),
      missingScopes: z.array(z.string()).meta({ description: "Scopes Keyport asks for that X did not grant." }),
      lastCheck: z
        .object({ at: timestamp, result: z.enum(["working", "needs-reconnect", "unknown", "not-active"]) })
        .nullable()
        .meta({ description: "The latest check with X (Check now, or the background check); null if never checked. unknown: X did not answer usefully." }),
      lastProvenAt: timestamp.nullable().meta({ description: "The last time X accepted this account's grant (a token refresh or an API call that succeeded)." }),
    })
    .meta({ description: "A connected X account. Never includes a token." }),
);
export const accountPageSchema = page("AccountPage", accountSchema);

export const listAccountsQuery = z.object({
  brandId: idParam.optional().meta({ description: "Only this brand's accounts." }),
  status: z.enum(API_ACCOUNT_STATUSES).optional().meta({ description: "Only accounts with this status." }),
  ...pagingQuery,
});

export const accountParams = z.object({ accountId: idParam });
