import { z } from "./zod";
import { idField } from "./brands";

export const checkAccountSchema = z.object({ accountId: idField });
export const checkBrandAccountsSchema = z.object({ brandId: idField });

/** A brand rarely has more; past this, "Check all" checks the longest-unchecked first. */
export const CHECK_ALL_LIMIT = 50;
