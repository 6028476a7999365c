// /admin/connections: the view in the URL (so a filtered view can be shared) and the bulk actions'
// inputs. A bad query-string value falls back to the default instead of failing the page.
import { RECONNECT_REASONS } from "../reconnect-reasons";
import { idField } from "./brands";
import { BULK_LIMIT } from "./bulk-limit";
// Server-side and admin-only forms: the full zod (the shared, shipped-to-every-page schemas use zod/mini via ./zod).
import { z } from "zod";

export const ADMIN_STATUS_FILTERS = ["attention", "NEEDS_RECONNECT", "DEGRADED", "ACTIVE", "DISCONNECTED", "all"] as const;
export type AdminStatusFilter = (typeof ADMIN_STATUS_FILTERS)[number];

export const ADMIN_SORTS = ["since", "checked", "username", "status"] as const;
export type AdminSort = (typeof ADMIN_SORTS)[number];

export const ADMIN_PAGE_SIZES = [25, 50, 100] as const;
export const ADMIN_PAGE_SIZE_DEFAULT = 50;

export { BULK_LIMIT };

const reasonCodes = Object.keys(RECONNECT_REASONS) as [keyof typeof RECONNECT_REASONS, ...(keyof typeof RECONNECT_REASONS)[]];

/** The filter part of the view: what "all N matching" means to a bulk action. */
export const adminConnectionsFilterSchema = z.object({
  status: z.enum(ADMIN_STATUS_FILTERS).catch("attention").default("attention"),
  reason: z.enum(reasonCodes).optional().catch(undefined),
  brand: z.optional(idField).catch(undefined),
  app: z.optional(idField).catch(undefined),
  q: z.string().trim().max(100).catch("").default(""),
});
export type AdminConnectionsFilter = z.infer<typeof adminConnectionsFilterSchema>;

export const adminConnectionsQuerySchema = adminConnectionsFilterSchema.extend({
  sort: z.enum(ADMIN_SORTS).catch("since").default("since"),
  dir: z.enum(["asc", "desc"]).catch("asc").default("asc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  size: z.coerce
    .number()
    .int()
    .refine((n) => (ADMIN_PAGE_SIZES as readonly number[]).includes(n))
    .catch(ADMIN_PAGE_SIZE_DEFAULT)
    .default(ADMIN_PAGE_SIZE_DEFAULT),
});
export type AdminConnectionsQuery = z.infer<typeof adminConnectionsQuerySchema>;

/** Either the rows a person ticked, or every account matching a filter (resolved on the server). */
export const bulkSelectionSchema = z.union([
  z.object({ ids: z.array(idField).min(1, "Select at least one account.").max(BULK_LIMIT, `Select at most ${BULK_LIMIT.toLocaleString("en")} accounts at a time.`) }),
  z.object({ filter: adminConnectionsFilterSchema }),
]);
export type BulkSelection = z.input<typeof bulkSelectionSchema>;

export const bulkReconnectLinksSchema = z.object({
  selection: bulkSelectionSchema,
  expiresInHours: z.coerce.number().int().min(1).max(720).default(168),
});
export type BulkReconnectLinksInput = z.input<typeof bulkReconnectLinksSchema>;

export const bulkSelectionInputSchema = z.object({ selection: bulkSelectionSchema });
export type BulkSelectionInput = z.input<typeof bulkSelectionInputSchema>;

export const checkProgressSchema = z.object({ ids: z.array(idField).max(BULK_LIMIT) });
