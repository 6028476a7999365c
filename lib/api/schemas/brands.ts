import { z } from "zod";
import { component, idParam, page, pagingQuery, timestamp } from "./common";

export const brandSchema = component(
  "Brand",
  z.object({ id: idParam, name: z.string(), createdAt: timestamp }).meta({ description: "A client of the agency; X accounts are connected per brand." }),
);
export const brandPageSchema = page("BrandPage", brandSchema);

export const listBrandsQuery = z.object({
  q: z.string().trim().max(100, "At most 100 characters.").optional().meta({ description: "Case-insensitive search in brand names." }),
  ...pagingQuery,
});
