import { z } from "zod";
import { component, idParam, page, pagingQuery, timestamp } from "./common";

export const API_ACCOUNT_STATUSES = ["active", "needs_reconnect", "disconnected"] as const;

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
      status: z.enum(API_ACCOUNT_STATUSES),
      reason: z
        .object({
          code: z.string().meta({ description: "Stable reason code, e.g. token-revoked, missing-scopes, app-credentials-replaced." }),
          label: z.string(),
          fix: z.string().meta({ description: "What a person should do about it." }),
        })
        .nullable()
        .meta({ description: "Why the account needs reconnecting; null unless status is needs_reconnect." }),
      since: timestamp.nullable().meta({ description: "When the account entered its current status (needs_reconnect: when the problem was found; active: when it was last connected)." }),
      connectedAt: timestamp,
      app: z
        .object({
          source: z.enum(["brand", "workspace", "removed"]).meta({ description: "The brand's own X app, the workspace default, or credentials since removed." }),
          clientIdPreview: z.string().nullable().meta({ description: "The first 6 characters of the app's Client ID; null if removed." }),
          current: z.boolean().meta({ description: "False when the app's credentials were replaced after this account connected." }),
        })
        .meta({ description: "Which X app the account's tokens belong to." }),
      grantedScopes: z.array(z.string()).meta({ description: "OAuth scopes X granted." }),
      missingScopes: z.array(z.string()).meta({ description: "Scopes Keyport asks for that X did not grant." }),
      lastCheck: z
        .object({ at: timestamp, result: z.enum(["working", "needs-reconnect", "unknown", "not-active"]) })
        .nullable()
        .meta({ description: "The latest check with X (Check now, or the background check); null if never checked." }),
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
