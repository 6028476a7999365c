import { noControlChars, z } from "./zod";

export const BRAND_NAME_MAX = 80;

export const brandNameField = z.string().check(
  z.trim(),
  z.minLength(1, "Give the brand a name."),
  z.maxLength(BRAND_NAME_MAX, `Keep brand names to ${BRAND_NAME_MAX} characters.`),
  // Control characters would render invisibly and make two brands look identical.
  noControlChars("Brand names can't contain control characters."),
);

// Every id Keyport makes (cuid, UUID) fits this; anything else — a NUL byte PostgreSQL rejects, a
// line break bound for a log — is refused before it reaches a query.
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const idField = z.string().check(z.regex(ID_PATTERN, "Not a valid id."));
export const isId = (value: unknown): value is string => typeof value === "string" && ID_PATTERN.test(value);

export const createBrandSchema = z.object({ name: brandNameField });
export type CreateBrandInput = z.infer<typeof createBrandSchema>;

export const renameBrandSchema = z.object({ brandId: idField, name: brandNameField });
export type RenameBrandInput = z.infer<typeof renameBrandSchema>;

export const deleteBrandSchema = z.object({ brandId: idField });

export const brandListSchema = z.object({
  q: z.catch(z.string().check(z.trim(), z.maxLength(100)), ""),
  page: z.catch(z.coerce.number().check(z.refine(Number.isInteger), z.gte(1), z.lte(100_000)), 1),
});
