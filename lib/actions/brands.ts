"use server";
// Brand management: any member reads; owners and admins create, rename and delete.
import { revalidatePath } from "next/cache";
import { createBrand, deleteBrand, renameBrand } from "../data/brands";
import { requireRole } from "../session";
import { createBrandSchema, deleteBrandSchema, renameBrandSchema, type CreateBrandInput, type RenameBrandInput } from "../validations/brands";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export async function createBrandAction(input: CreateBrandInput): Promise<ActionResult<{ id: string; name: string }>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = createBrandSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const brand = await createBrand(user.workspaceId, parsed.data.name);
    revalidatePath("/brands");
    return ok(brand);
  });
}

export async function renameBrandAction(input: RenameBrandInput): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = renameBrandSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    if (!(await renameBrand(user.workspaceId, parsed.data.brandId, parsed.data.name))) return fail("Brand not found.");
    revalidatePath("/brands");
    return ok();
  });
}

export async function deleteBrandAction(input: { brandId: string }): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = deleteBrandSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    if (!(await deleteBrand(user.workspaceId, parsed.data.brandId))) return fail("Brand not found.");
    revalidatePath("/brands");
    return ok();
  });
}
