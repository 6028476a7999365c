// Renders a JSON Schema (from the OpenAPI document) as a table of fields, for the reference page.
// Component references link to their section instead of being expanded again.
import type { ReactNode } from "react";

type Schema = { [key: string]: unknown };

export function SchemaFields({ schema, caption }: { schema: Schema; caption: string }) {
  const rows = fieldRows(schema, "");
  if (rows.length === 0) return <p className="text-sm text-slate-700">{typeOf(schema)}</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-4 font-medium">Field</th>
            <th scope="col" className="py-1 pr-4 font-medium">Type</th>
            <th scope="col" className="py-1 font-medium">Description</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} className="border-t border-slate-100 align-top">
              <td className="py-1 pr-4 font-mono text-xs whitespace-nowrap">
                {r.name}
                {r.required ? null : <span className="ml-1 font-sans text-slate-500">(optional)</span>}
              </td>
              <td className="py-1 pr-4 text-xs">{r.type}</td>
              <td className="py-1 text-slate-700">{r.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Row = { name: string; type: ReactNode; required: boolean; description: ReactNode };

function fieldRows(schema: Schema, prefix: string): Row[] {
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (!properties) return [];
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(properties).flatMap(([name, field]) => {
    const full = prefix ? `${prefix}.${name}` : name;
    const own: Row = { name: full, type: typeOf(field), required: required.has(name), description: describe(field) };
    const inner = objectPart(field);
    return [own, ...(inner && !inner.$ref ? fieldRows(inner, full) : [])];
  });
}

/** The object inside `X | null`, if any (its fields are listed as name.field). */
function objectPart(schema: Schema): Schema | null {
  if (schema.type === "object" && schema.properties) return schema;
  const anyOf = schema.anyOf as Schema[] | undefined;
  const object = anyOf?.find((s) => s.type === "object" && s.properties);
  return object ?? null;
}

export function typeOf(schema: Schema): ReactNode {
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.split("/").at(-1)!;
    return (
      <a href={`#schema-${name}`} className="text-indigo-700 hover:underline">
        {name}
      </a>
    );
  }
  const anyOf = schema.anyOf as Schema[] | undefined;
  if (anyOf) return join(anyOf.map(typeOf), " or ");
  if (Array.isArray(schema.enum)) return join(schema.enum.map((v) => <code key={String(v)}>{JSON.stringify(v)}</code>), " | ");
  if (Array.isArray(schema.type)) return schema.type.join(" or ");
  if (schema.type === "array") return <>array of {typeOf((schema.items as Schema) ?? {})}</>;
  const format = typeof schema.format === "string" ? ` (${schema.format})` : "";
  const limits = [
    typeof schema.minimum === "number" ? `≥ ${schema.minimum}` : null,
    typeof schema.maximum === "number" ? `≤ ${schema.maximum}` : null,
    typeof schema.maxLength === "number" ? `≤ ${schema.maxLength} chars` : null,
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : null,
  ].filter(Boolean);
  return `${String(schema.type ?? "any")}${format}${limits.length ? `, ${limits.join(", ")}` : ""}`;
}

function describe(schema: Schema): ReactNode {
  const own = typeof schema.description === "string" ? schema.description : null;
  const inner = (schema.anyOf as Schema[] | undefined)?.find((s) => typeof s.description === "string")?.description as string | undefined;
  const text = own ?? inner ?? "";
  return <Markdownish text={text} />;
}

/** Backticks as code; nothing else is interpreted (the text is ours, but stays text). */
export function Markdownish({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") ? (
          <code key={i} className="rounded bg-slate-100 px-1 text-[0.85em]">
            {part.slice(1, -1)}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

function join(parts: ReactNode[], separator: string): ReactNode {
  return parts.map((p, i) => (
    <span key={i}>
      {i > 0 ? separator : null}
      {p}
    </span>
  ));
}
