// The OpenAPI document: valid OpenAPI 3.1 by a real validator, and in step with the route handlers
// in both directions (every documented path+method is a route export built from that very
// operation; every /api/v1 route export is documented, except the 405/404 fillers).
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { GET as openApiRoute } from "@/app/api/v1/openapi.json/route";
import type { ApiRouteHandler } from "@/lib/api/handler";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/api/openapi";
import { call } from "./api-helpers";

const V1 = path.resolve("app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir = V1): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? routeFiles(full) : entry === "route.ts" ? [full] : [];
  });
}

/** app/api/v1/brands/[brandId]/connect-links/route.ts → /brands/{brandId}/connect-links */
function openApiPath(file: string) {
  const rel = path.relative(V1, path.dirname(file)).split(path.sep).filter(Boolean);
  return `/${rel.map((s) => s.replace(/^\[([A-Za-z]+)\]$/, "{$1}")).join("/")}`;
}

async function served(): Promise<OpenApiDocument> {
  const response = await call(openApiRoute, "/openapi.json");
  expect(response.status).toBe(200);
  expect(response.response.headers.get("content-type")).toBe("application/json");
  return response.json as unknown as OpenApiDocument;
}

describe("OpenAPI document", () => {
  it("is served without a key and is valid OpenAPI 3.1 (and the validator does reject a broken one)", async () => {
    const doc = await served();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "http://127.0.0.1:3999/api/v1" }]);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");

    const broken = structuredClone(doc) as unknown as Record<string, Record<string, Record<string, unknown>>>;
    broken.paths!["/brands"]!.get = { responses: { "200": { content: "not an object" } } };
    expect((await new Validator().validate(broken as never)).valid).toBe(false);
  });

  it("every $ref resolves, every keyed operation documents its scope and the bearer scheme", async () => {
    const doc = await served();
    const text = JSON.stringify(doc);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)) expect(doc.components.schemas, name).toHaveProperty(name!);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const security = op.security as Record<string, string[]>[];
        if (p === "/openapi.json") {
          expect(security).toEqual([]);
          continue;
        }
        expect(security.length, `${method} ${p}`).toBeGreaterThan(0);
        expect(op.description, `${method} ${p}`).toMatch(/API key/);
        const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
        for (const status of ["401", "403", "429", "500"]) expect(responses[status]?.content, `${method} ${p} ${status}`).toHaveProperty("application/problem+json");
      }
    }
    expect(doc.paths["/accounts"]!.get!.security).toEqual([{ apiKey: ["accounts:read"] }]);
    expect(doc.paths["/posts"]!.post!.security).toEqual([{ apiKey: ["posts:write"] }]);
    expect(doc.paths["/brands/{brandId}/connect-links"]!.post!.security).toEqual([{ apiKey: ["links:write"] }]);
    // Publishing documents X's refusals; nothing is a stub any more.
    expect(Object.keys(doc.paths["/posts"]!.post!.responses as object)).toEqual(expect.arrayContaining(["201", "403", "409", "422", "429", "503"]));
    expect(JSON.stringify(doc.paths)).not.toContain('"501"');
    expect(doc.components.schemas.App!.properties).toHaveProperty("usage.properties.posts24h");
    // Never a token field in any response schema.
    expect(JSON.stringify(doc.components.schemas)).not.toMatch(/"(accessToken|refreshToken|clientSecret|keyHash|token)"/);
  });

  it("matches the route handlers in both directions", async () => {
    const doc = buildOpenApiDocument("http://x", { rateLimit: 1 });
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`)));
    const implemented = new Set<string>();
    const files = routeFiles();
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) {
      const mod = (await import(file)) as Record<string, ApiRouteHandler | undefined>;
      const apiPath = openApiPath(file);
      for (const method of METHODS) {
        const handler = mod[method];
        if (!handler) continue;
        if (handler.notAllowed) {
          expect(handler.operation, `${method} ${apiPath}`).toBeUndefined();
          continue;
        }
        // A real operation: built by apiHandler from the spec documented at this path and method.
        expect(handler.operation, `${method} ${apiPath} is not built with apiHandler`).toBeDefined();
        expect(handler.operation!.path).toBe(apiPath);
        expect(handler.operation!.method).toBe(method);
        expect(doc.paths[apiPath]?.[method.toLowerCase()]?.operationId, `${method} ${apiPath} is not in the document`).toBe(handler.operation!.operationId);
        implemented.add(`${method} ${apiPath}`);
      }
    }
    expect([...documented].filter((op) => !implemented.has(op))).toEqual([]);
    expect([...implemented].filter((op) => !documented.has(op))).toEqual([]);
    expect(implemented.size).toBe(9);
  });
});
