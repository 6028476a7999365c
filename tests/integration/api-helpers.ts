// Calls /api/v1 route handlers the way a client's HTTP request reaches them: a NextRequest with an
// Authorization header (no session), and the route's params. Keys are made through the real
// server action, as an owner would in Settings → API keys.
import { NextRequest } from "next/server";
import { expect } from "vitest";
import type { ApiRouteHandler } from "@/lib/api/handler";
import { createApiKeyAction } from "@/lib/actions/api-keys";
import type { ApiScope } from "@/lib/validations/api-keys";
import { actAs } from "./helpers";

export const API = "http://127.0.0.1:3999/api/v1";

export async function makeKey(ownerId: string, workspaceId: string, scopes: ApiScope[], name = `Key ${scopes.join("+")}`) {
  actAs(ownerId, workspaceId);
  const result = await createApiKeyAction({ name, scopes, expiresInDays: "90" });
  actAs(null);
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

type CallInit = { method?: string; key?: string | null; body?: BodyInit | null; json?: unknown; headers?: Record<string, string>; params?: Record<string, string> };

export async function call(route: ApiRouteHandler, path: string, init: CallInit = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  let body = init.body ?? null;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers["content-type"] ??= "application/json";
  }
  const request = new NextRequest(`${API}${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
  const response = await route(request, { params: Promise.resolve(init.params ?? {}) });
  const text = await response.text();
  return { response, status: response.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Asserts an RFC 9457 problem with our code, and nothing a stack trace would add. */
export function expectProblem(result: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(result.status).toBe(status);
  expect(result.response.headers.get("content-type")).toBe("application/problem+json");
  expect(result.json).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String), type: expect.stringMatching(new RegExp(`/docs/api#problem-${code}$`)) });
  expect(Object.keys(result.json!).every((k) => ["type", "title", "status", "detail", "code", "instance", "errors", "scope", "retryAfterSeconds"].includes(k))).toBe(true);
  expect(result.text).not.toMatch(/\n\s+at |stack|prisma|node_modules/i);
  return result.json!;
}
