// Opaque pagination cursors: the sort key of the last item, tagged with the listing it belongs to.
// Base64url JSON; not secret (it only holds ids and names the key can list anyway), just opaque.
export function encodeCursor(kind: string, position: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ k: kind, ...position })).toString("base64url");
}

/** Null when the value is not a cursor of this listing (the caller answers 400 invalid_cursor). */
export function decodeCursor<K extends string>(kind: string, value: string, fields: readonly K[]): Record<K, string> | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || (parsed as { k?: unknown }).k !== kind) return null;
    const out = {} as Record<K, string>;
    for (const field of fields) {
      const v = (parsed as Record<string, unknown>)[field];
      if (typeof v !== "string" || v.length > 200 || /[\u0000-\u001f]/.test(v)) return null;
      out[field] = v;
    }
    return out;
  } catch {
    return null;
  }
}
