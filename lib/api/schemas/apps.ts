import { z } from "zod";
import { component, idParam, page, pagingQuery } from "./common";

export const appSchema = component(
  "App",
  z
    .object({
      id: idParam,
      scope: z.enum(["workspace", "brand", "instance"]).meta({ description: "The workspace default app, one brand's own app (override), or the instance app set by the operator (the lowest tier)." }),
      brandId: idParam.nullable(),
      brandName: z.string().nullable(),
      clientIdPreview: z.string().meta({ description: "The first 6 characters of the Client ID." }),
      // TODO(issue 9 §4): quota and cost figures per app; until then always null.
      usage: z.null().meta({ description: "Remaining quota and cost figures. Always null in this version: not yet measured." }),
    })
    .meta({ description: "An X developer app whose credentials Keyport holds (never the credentials themselves)." }),
);
export const appPageSchema = page("AppPage", appSchema);

export const appUsageQuery = z.object({ ...pagingQuery });
