// Building blocks shared by every operation's schemas, and the registry of named components the
// OpenAPI document lists under components.schemas.
import { z } from "zod";
import { ID_PATTERN } from "../../validations/brands";
import { PROBLEM_CODES } from "../problems";

export const apiComponents = z.registry<{ id: string }>();

/** Registers a schema as a named OpenAPI component (referenced with $ref wherever it is used). */
export function component<T extends z.ZodType>(id: string, schema: T): T {
  apiComponents.add(schema, { id });
  return schema;
}

export const idParam = z.string().regex(ID_PATTERN, "Not a valid id.").meta({ description: "A Keyport id.", examples: ["cm4r2x9k10000abcd1234efgh"] });
export const timestamp = z.iso.datetime().meta({ description: "RFC 3339 date-time in UTC." });

export const PAGE_LIMIT_DEFAULT = 25;
export const PAGE_LIMIT_MAX = 100;

export const pagingQuery = {
  cursor: z
    .string()
    .max(400)
    .regex(/^[A-Za-z0-9_-]+$/, "Not a cursor this API returned.")
    .optional()
    .meta({ description: "The `nextCursor` of the previous page. Omit for the first page." }),
  limit: z.coerce
    .number({ message: "Must be a whole number." })
    .int("Must be a whole number.")
    .min(1, "At least 1.")
    .max(PAGE_LIMIT_MAX, `At most ${PAGE_LIMIT_MAX}.`)
    .default(PAGE_LIMIT_DEFAULT)
    .meta({ description: `Items per page, 1–${PAGE_LIMIT_MAX}.` }),
};

export function page<T extends z.ZodType>(id: string, item: T) {
  return component(
    id,
    z.object({
      data: z.array(item),
      nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` to get the next page; null on the last page." }),
    }),
  );
}

export const invalidParamSchema = z.object({
  location: z.enum(["path", "query", "header", "body"]),
  name: z.string().meta({ description: "The parameter, or the body field as a dotted path (empty: the body itself)." }),
  detail: z.string(),
});

export const problemSchema = component(
  "Problem",
  z
    .object({
      type: z.string().meta({ description: "A URI identifying the problem type: the reference page's section on this code." }),
      title: z.string().meta({ description: "Short summary, the same for every occurrence of the code." }),
      status: z.int().meta({ description: "The HTTP status code." }),
      detail: z.string().meta({ description: "What happened this time, for a person to read." }),
      code: z.enum(PROBLEM_CODES).meta({ description: "Stable machine-readable code; branch on this." }),
      instance: z.string().optional(),
      errors: z.array(invalidParamSchema).optional().meta({ description: "For invalid_request: each invalid parameter or field." }),
      scope: z.string().optional().meta({ description: "For insufficient_scope: the permission(s) needed, space-separated." }),
      retryAfterSeconds: z.int().optional().meta({ description: "For 429 and retryable errors: the same value as Retry-After." }),
    })
    .meta({ description: "RFC 9457 problem details, served as application/problem+json." }),
);
