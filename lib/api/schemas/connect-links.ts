import { z } from "zod";
import { LINK_TTL_DEFAULT_HOURS } from "../../validations/connect";
import { component, idParam, timestamp } from "./common";

export const connectLinkParams = z.object({ brandId: idParam });

export const createConnectLinkBody = z
  .strictObject({
    expiresInHours: z
      .int("A whole number of hours.")
      .min(1, "A link must stay valid for at least an hour.")
      .max(720, "A link can stay valid for at most 30 days (720 hours).")
      .default(LINK_TTL_DEFAULT_HOURS)
      .meta({ description: "How long the link stays valid." }),
    accountId: idParam.optional().meta({ description: "Make it a reconnect link for this account (it must be connected to this brand)." }),
  })
  .meta({ description: "Optional; an empty or absent body makes an ordinary 48-hour connect link." });

export const connectLinkSchema = component(
  "ConnectLink",
  z
    .object({
      id: idParam,
      url: z.string().meta({ description: "The link to send to the client. Shown once: only its hash is stored." }),
      brandId: idParam,
      expiresAt: timestamp,
      reconnect: z
        .object({ accountId: idParam, username: z.string() })
        .nullable()
        .meta({ description: "The account this link is meant to reconnect; null for an ordinary connect link." }),
    })
    .meta({ description: "A hosted, single-use connect link: the client opens it and connects their X account without a Keyport account." }),
);
