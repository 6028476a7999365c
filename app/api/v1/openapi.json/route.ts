// GET /api/v1/openapi.json — the OpenAPI 3.1 document, generated from the same zod schemas that
// validate requests. Public: it describes the API, it holds nothing of any workspace.
import { apiHandler, otherMethods } from "@/lib/api/handler";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { openApiDocument } from "@/lib/api/operations";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const GET = apiHandler(openApiDocument, async () => ({
  status: 200,
  body: buildOpenApiDocument(env.KEYPORT_PUBLIC_URL, { rateLimit: env.KEYPORT_API_RATE_LIMIT }),
}));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
