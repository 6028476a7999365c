// The OpenAPI 3.1 document, generated from the operations' zod schemas (zod 4's JSON Schema
// output, draft 2020-12, which is OpenAPI 3.1's schema dialect). Served at /api/v1/openapi.json
// and rendered at /docs/api.
import { z } from "zod";
import { API_SCOPE_LABELS, API_SCOPES } from "../validations/api-keys";
import { API_RATE_WINDOW_SECONDS } from "./rate-limit-config";
import { BODY_PROBLEMS, KEYED_PROBLEMS, type OperationSpec } from "./operation";
import { OPERATIONS } from "./operations";
import { PROBLEMS, type ProblemCode } from "./problems";
import { apiComponents } from "./schemas/common";

export type JsonSchema = { [key: string]: unknown };
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
};

export const SECURITY_SCHEME = "apiKey";

export function buildOpenApiDocument(publicUrl: string, options: { rateLimit: number }): OpenApiDocument {
  const { schemas } = z.toJSONSchema(apiComponents, { uri: (id) => `#/components/schemas/${id}`, io: "output" });
  const components: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) components[id] = clean(schema as JsonSchema);

  const paths: OpenApiDocument["paths"] = {};
  for (const op of OPERATIONS) {
    const item = (paths[op.path] ??= {});
    item[op.method.toLowerCase()] = operationObject(op);
  }
  const tags = [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name }));
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyport API",
      version: "1.0.0",
      description: [
        "Keyport's API for an agency's own tools: brands, connected X accounts and their health, hosted connect links, and publishing.",
        "Authenticate with an API key made in Settings → API keys: `Authorization: Bearer kp_live_…`. A key belongs to one workspace and sees nothing of others. No key can read or change X app credentials, members, webhooks or API keys.",
        `Each key may make ${options.rateLimit} requests per ${API_RATE_WINDOW_SECONDS} s; every keyed answer carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset, and a 429 also Retry-After.`,
        "Errors are RFC 9457 problem details (application/problem+json) with a stable `code`.",
      ].join("\n\n"),
    },
    servers: [{ url: `${publicUrl}/api/v1` }],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags,
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "Keyport API key (kp_live_ followed by 43 base64url characters)",
          description: `Permissions (scopes) a key can have: ${API_SCOPES.map((s) => `\`${s}\` — ${API_SCOPE_LABELS[s].allows}`).join(" ")}`,
        },
      },
    },
  };
}

function operationObject(op: OperationSpec): JsonSchema {
  const parameters: JsonSchema[] = [
    ...paramsOf(op.params, "path"),
    ...paramsOf(op.query, "query"),
    ...paramsOf(op.headers, "header"),
  ];
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.headers ? { headers: Object.fromEntries(Object.entries(response.headers).map(([name, h]) => [name, { description: h.description, schema: h.schema }])) } : {}),
      content: { "application/json": { schema: schemaRef(response.schema, "output") } },
    };
  }
  const problems = new Set<ProblemCode>([...(op.scopes === null ? [] : KEYED_PROBLEMS), ...(op.body ? BODY_PROBLEMS : []), ...op.problems]);
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problems) byStatus.set(PROBLEMS[code].status, [...(byStatus.get(PROBLEMS[code].status) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.map((c) => `\`${c}\`: ${PROBLEMS[c].about}`).join(" "),
      ...(status === 429 ? { headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } } } : {}),
      content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
    };
  }
  const scopeText =
    op.scopes === null ? "No API key needed." : op.scopes.length === 0 ? "Any valid API key." : `Requires an API key with ${op.scopes.map((s) => `\`${s}\``).join(" or ")}.`;
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: `${op.description}\n\n${scopeText}`,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? { requestBody: { required: op.body.required, content: { "application/json": { schema: schemaRef(op.body.schema, "input") } } } }
      : {}),
    responses,
    security: op.scopes === null ? [] : op.scopes.length === 0 ? [{ [SECURITY_SCHEME]: [] }] : op.scopes.map((s) => ({ [SECURITY_SCHEME]: [s] })),
    "x-required-scopes": op.scopes ?? [],
  };
}

function paramsOf(schema: z.ZodObject | undefined, location: "path" | "query" | "header"): JsonSchema[] {
  if (!schema) return [];
  return Object.entries(schema.shape).map(([name, field]) => {
    const json = clean(z.toJSONSchema(field as z.ZodType, { io: "input" }) as JsonSchema);
    const { description, ...rest } = json;
    const required = location === "path" || !(field as z.ZodType).safeParse(undefined).success;
    return { name: location === "header" ? headerName(name) : name, in: location, required, ...(description ? { description } : {}), schema: rest };
  });
}

function schemaRef(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const id = apiComponents.get(schema)?.id;
  if (id) return { $ref: `#/components/schemas/${id}` };
  return clean(z.toJSONSchema(schema, { io }) as JsonSchema);
}

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function headerName(name: string) {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}
