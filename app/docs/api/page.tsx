// The API reference, rendered on the server from the same OpenAPI document /api/v1/openapi.json
// serves. Works offline: no script or style from anywhere but Keyport itself.
import type { Metadata } from "next";
import Link from "next/link";
import { Markdownish, SchemaFields, typeOf } from "@/components/api-docs/schema-fields";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { PROBLEMS, type ProblemCode } from "@/lib/api/problems";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "API reference" };
export const dynamic = "force-dynamic";

type Json = { [key: string]: unknown };
const METHOD_STYLE: Record<string, string> = { get: "bg-sky-100 text-sky-900", post: "bg-green-100 text-green-900" };

export default function ApiReferencePage() {
  const doc = buildOpenApiDocument(env.KEYPORT_PUBLIC_URL, { rateLimit: env.KEYPORT_API_RATE_LIMIT });
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op: op as Json })));
  const server = doc.servers[0]!.url;
  return (
    <div className="mx-auto max-w-5xl px-4 py-10">
      <header className="mb-8 space-y-3">
        <p className="text-sm">
          <Link href="/" className="font-bold tracking-tight text-indigo-700">
            Keyport
          </Link>
        </p>
        <h1 className="text-3xl font-semibold">{doc.info.title} reference</h1>
        {doc.info.description.split("\n\n").map((p, i) => (
          <p key={i} className="text-slate-700">
            <Markdownish text={p} />
          </p>
        ))}
        <p className="text-sm text-slate-700">
          Base URL <code className="rounded bg-slate-100 px-1">{server}</code> · Machine-readable:{" "}
          <a href="/api/v1/openapi.json" className="text-indigo-700 hover:underline">
            openapi.json
          </a>{" "}
          (OpenAPI {doc.openapi})
        </p>
      </header>

      <nav aria-label="Operations" className="mb-10 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 font-semibold">Operations</h2>
        <ul className="grid gap-1 text-sm sm:grid-cols-2">
          {operations.map(({ path, method, op }) => (
            <li key={`${method} ${path}`}>
              <a href={`#op-${String(op.operationId)}`} className="hover:underline">
                <span className="font-mono text-xs">{method.toUpperCase()}</span> <span className="font-mono">{path}</span> — {String(op.summary)}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="auth" className="mb-10 space-y-2">
        <h2 id="auth" className="text-2xl font-semibold">
          Authentication and permissions
        </h2>
        <p className="text-slate-700">
          Owners and admins create keys under <strong>Settings → API keys</strong>. Send one as <code>Authorization: Bearer kp_live_…</code>. Keys are shown once and stored only as a
          hash; a revoked or expired key is refused with 401 and the attempt is recorded in the audit log. Each key has permissions:
        </p>
        <p className="text-sm text-slate-700">
          <Markdownish text={String(doc.components.securitySchemes.apiKey?.description ?? "")} />
        </p>
        <h3 className="pt-2 font-semibold">Pagination</h3>
        <p className="text-slate-700">
          Lists answer <code>{"{ data, nextCursor }"}</code>. Pass <code>nextCursor</code> as <code>cursor</code> for the next page; it is null on the last page. <code>limit</code> sets the
          page size (1–100, default 25).
        </p>
      </section>

      {operations.map(({ path, method, op }) => (
        <Operation key={`${method} ${path}`} path={path} method={method} op={op} />
      ))}

      <section aria-labelledby="schemas" className="mb-10 space-y-6">
        <h2 id="schemas" className="text-2xl font-semibold">
          Objects
        </h2>
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <div key={name} id={`schema-${name}`} className="scroll-mt-4 space-y-2 rounded-lg border border-slate-200 bg-white p-4">
            <h3 className="font-mono text-lg font-semibold">{name}</h3>
            {typeof schema.description === "string" ? (
              <p className="text-sm text-slate-700">
                <Markdownish text={schema.description} />
              </p>
            ) : null}
            <SchemaFields schema={schema} caption={`Fields of ${name}`} />
          </div>
        ))}
      </section>

      <section aria-labelledby="problems" className="space-y-3">
        <h2 id="problems" className="text-2xl font-semibold">
          Errors
        </h2>
        <p className="text-slate-700">
          Every error is <code>application/problem+json</code> (RFC 9457): <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code> and a stable <code>code</code>;
          see <a href="#schema-Problem" className="text-indigo-700 hover:underline">Problem</a>. Branch on <code>code</code>, show <code>detail</code> to people.
        </p>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Problem codes</caption>
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Code</th>
                <th scope="col" className="px-3 py-2 font-medium">Status</th>
                <th scope="col" className="px-3 py-2 font-medium">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {(Object.keys(PROBLEMS) as ProblemCode[]).map((code) => (
                <tr key={code} id={`problem-${code}`} className="scroll-mt-4 border-t border-slate-100 align-top">
                  <td className="px-3 py-2 font-mono text-xs">{code}</td>
                  <td className="px-3 py-2">{PROBLEMS[code].status}</td>
                  <td className="px-3 py-2 text-slate-700">
                    <span className="font-medium">{PROBLEMS[code].title}.</span> <Markdownish text={PROBLEMS[code].about} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

function Operation({ path, method, op }: { path: string; method: string; op: Json }) {
  const id = `op-${String(op.operationId)}`;
  const parameters = (op.parameters as Json[] | undefined) ?? [];
  const body = (op.requestBody as { content: Record<string, { schema: Json }>; required: boolean } | undefined)?.content["application/json"]?.schema;
  const responses = Object.entries(op.responses as Record<string, Json>);
  return (
    <section aria-labelledby={id} className="mb-10 space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={id} className="scroll-mt-4 text-xl font-semibold">
        <span className={`mr-2 rounded px-2 py-0.5 font-mono text-sm ${METHOD_STYLE[method] ?? "bg-slate-100"}`}>{method.toUpperCase()}</span>{" "}
        <span className="font-mono text-base">/api/v1{path}</span>{" "}
        <span className="block text-base font-normal text-slate-700">{String(op.summary)}</span>
      </h2>
      {String(op.description)
        .split("\n\n")
        .map((p, i) => (
          <p key={i} className="text-sm text-slate-700">
            <Markdownish text={p} />
          </p>
        ))}
      {parameters.length ? (
        <div>
          <h3 className="font-semibold">Parameters</h3>
          <SchemaFields
            caption="Parameters"
            schema={{
              type: "object",
              properties: Object.fromEntries(parameters.map((p) => [`${String(p.name)} (${String(p.in)})`, { ...(p.schema as Json), description: p.description }])),
              required: parameters.filter((p) => p.required).map((p) => `${String(p.name)} (${String(p.in)})`),
            }}
          />
        </div>
      ) : null}
      {body ? (
        <div>
          <h3 className="font-semibold">Request body (JSON)</h3>
          <SchemaFields schema={body} caption="Request body fields" />
        </div>
      ) : null}
      <div>
        <h3 className="font-semibold">Responses</h3>
        <ul className="space-y-1 text-sm">
          {responses.map(([status, response]) => {
            const content = response.content as Record<string, { schema: Json }> | undefined;
            const [type, media] = Object.entries(content ?? {})[0] ?? [];
            return (
              <li key={status}>
                <span className="font-mono font-semibold">{status}</span> {media ? <>({typeOf(media.schema)}, <code className="text-xs">{type}</code>)</> : null} —{" "}
                <ProblemText text={String(response.description)} />
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

/** Response descriptions name problem codes in backticks: link each to its row in Errors. */
function ProblemText({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[a-z_]+`)/).map((part, i) => {
        const code = part.slice(1, -1);
        return part.startsWith("`") && code in PROBLEMS ? (
          <a key={i} href={`#problem-${code}`} className="font-mono text-xs text-indigo-700 hover:underline">
            {code}
          </a>
        ) : (
          <Markdownish key={i} text={part} />
        );
      })}
    </>
  );
}
