// Builds problem+json responses (RFC 9457). Every /api/v1 error goes through here, so no answer
// can carry a stack trace, a Prisma message or anything else the code didn't put in `detail`.
import { env } from "../env";
import { PROBLEMS, problemType, type InvalidParam, type ProblemBody, type ProblemCode } from "./problems";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problem(
  code: ProblemCode,
  detail: string,
  options: { headers?: HeadersInit; errors?: InvalidParam[]; scope?: string; retryAfterSeconds?: number; instance?: string } = {},
): Response {
  const { status, title } = PROBLEMS[code];
  const body: ProblemBody = { type: problemType(env.KEYPORT_PUBLIC_URL, code), title, status, detail, code };
  if (options.instance) body.instance = options.instance;
  if (options.errors?.length) body.errors = options.errors;
  if (options.scope) body.scope = options.scope;
  if (options.retryAfterSeconds !== undefined) body.retryAfterSeconds = options.retryAfterSeconds;
  const headers = new Headers(options.headers);
  headers.set("Content-Type", PROBLEM_CONTENT_TYPE);
  headers.set("Cache-Control", "no-store");
  if (options.retryAfterSeconds !== undefined) headers.set("Retry-After", String(options.retryAfterSeconds));
  return new Response(JSON.stringify(body), { status, headers });
}
