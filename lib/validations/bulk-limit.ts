// How many accounts one bulk action on /admin/connections may touch. Its own zod-free file: the
// bulk bar shows it, and importing it from ./admin-connections would ship zod to that page.

/** One bulk action touches at most this many accounts; past it the person narrows the filter. */
export const BULK_LIMIT = 1_000;
