// How long a connect link stays valid: the choices the brand page offers. Zod-free, so the page can
// show them without loading zod (./connect builds the schema from them).
export const LINK_TTL_DEFAULT_HOURS = 48;
export const LINK_TTL_CHOICES = [1, 24, 48, 72, 168] as const;
