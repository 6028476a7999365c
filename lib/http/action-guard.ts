// Requests that would reach Next's server-action handler but cannot be anything Keyport's pages
// sent. Next answers most of these with a 500 and a logged stack (a body over its 1 MB limit, a
// multipart body without a boundary, an unparsable body, an Origin it can't parse or that isn't
// this host, arguments in React's encoding that refer to parts the request doesn't have); here
// they get a plain 400, 403 or 413 before the handler sees them.
//
// Origin: Next compares the Origin's host with the Host (or first X-Forwarded-Host) and refuses
// any other; this makes the same comparison, so nothing Next would accept is refused. One case
// differs: Keyport's pages are `Referrer-Policy: no-referrer`, under which Chromium sends
// `Origin: null` on a same-origin form POST — a server-action form submitted before hydration
// (sign out) — and Next refuses that with a 500. The browser also sends Sec-Fetch-Site, which no
// page can forge: when it says same-origin, the request is passed on with this host as its Origin
// (Next's check then passes for the reason it exists); any other `null` is refused.
// No Next, no Prisma: a plain Request in, a verdict out.

/** Next's default `serverActions.bodySizeLimit` (next.config.mjs does not change it). */
export const ACTION_BODY_LIMIT = 1024 * 1024;

export type ActionVerdict = { pass: true; origin?: string } | { pass: false; status: 400 | 403 | 413; reason: string };

/** For a POST to a page (not /api): is it a request Keyport's own pages could have sent? */
export async function checkPagePost(request: Request): Promise<ActionVerdict> {
  const headers = request.headers;
  const host = requestHost(headers);
  let origin: string | undefined;
  const originHeader = headers.get("origin");
  if (originHeader !== null) {
    if (originHeader === "null") {
      if (headers.get("sec-fetch-site") !== "same-origin" || !host) return refuse(403, "origin");
      origin = `${new URL(request.url).protocol}//${host}`;
    } else {
      const originHost = hostOf(originHeader);
      if (originHost === null) return refuse(400, "origin");
      if (!host || originHost !== host) return refuse(403, "origin");
    }
  }

  const type = (headers.get("content-type") ?? "").toLowerCase();
  const actionId = headers.get("next-action");
  const multipart = type.startsWith("multipart/form-data");
  if (multipart && !/;\s*boundary=("[^"]+"|[^\s;]+)/i.test(headers.get("content-type") ?? "")) return refuse(400, "boundary");
  // Not a server action: a plain POST to a page, which Next renders like a GET.
  if (actionId === null && !multipart) return { pass: true, origin };
  if (actionId !== null && !/^[0-9a-f]{2,128}$/i.test(actionId)) return refuse(400, "action-id");
  // A fetch action's body is React's text encoding of the arguments; a form's is multipart.
  if (actionId !== null && !multipart && !type.startsWith("text/plain")) return refuse(400, "content-type");

  const declared = headers.get("content-length");
  if (declared !== null && !(Number(declared) <= ACTION_BODY_LIMIT)) return refuse(413, "size");
  const body = new Uint8Array(await request.clone().arrayBuffer().catch(() => new ArrayBuffer(ACTION_BODY_LIMIT + 1)));
  if (body.byteLength > ACTION_BODY_LIMIT) return refuse(413, "size");
  if (multipart) {
    const form = await new Response(body, { headers: { "content-type": headers.get("content-type")! } }).formData().catch(() => null);
    if (!form) return refuse(400, "body");
    // A form submitted before hydration carries $ACTION_ fields that Next decodes itself.
    if (actionId === null) return { pass: true, origin };
    const root = form.get("0");
    if (typeof root !== "string") return refuse(400, "body");
    for (const [name, value] of form) {
      if (!/^\d+$/.test(name) || typeof value !== "string") continue;
      if (!replyChunkOk(value, (id) => form.has(String(id)), (id) => form.get(String(id)) instanceof Blob)) return refuse(400, "body");
    }
    return { pass: true, origin };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return refuse(400, "body");
  }
  // A text body is the root chunk alone: nothing else to refer to.
  if (!replyChunkOk(text, () => false, () => false)) return refuse(400, "body");
  return { pass: true, origin };
}

/*
 * React's reply encoding (what the browser sends as an action's arguments, read by decodeReply):
 * one JSON chunk per part, in which strings starting with "$" are tagged values. Some stand alone
 * ("$undefined", "$NaN", "$D<date>", "$n<bigint>", "$$" for a literal "$"…); the rest refer to
 * another part ("$1", "$@1", "$Q1", "$h1", "$B1" for a blob…). A reference to a part that isn't
 * there, or an unknown tag, makes decodeReply throw, which Next answers with a 500.
 */
const STANDALONE_TAGS = new Set(["$", "I", "-", "N", "u", "D", "T", "H", "K"]);
const PART_TAGS = new Set(["@", "h", "Q", "W", "i", "A", "O", "o", "U", "S", "s", "L", "l", "G", "g", "M", "m", "V", "R", "r", "X", "x"]);

function replyChunkOk(json: string, hasPart: (id: number) => boolean, hasBlob: (id: number) => boolean): boolean {
  let model: unknown;
  try {
    model = JSON.parse(json);
  } catch {
    return false;
  }
  const pending: unknown[] = [model];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) pending.push(...value);
    else if (value && typeof value === "object") pending.push(...Object.values(value));
    else if (typeof value === "string" && value.startsWith("$") && !tagOk(value, hasPart, hasBlob)) return false;
  }
  return true;
}

function tagOk(value: string, hasPart: (id: number) => boolean, hasBlob: (id: number) => boolean): boolean {
  const tag = value[1];
  if (tag === undefined) return false;
  if (tag === "n") return /^\$n-?\d{1,300}$/.test(value);
  if (STANDALONE_TAGS.has(tag)) return true;
  if (tag === "B") return partId(value.slice(2), hasBlob);
  if (PART_TAGS.has(tag)) return partId(value.slice(2), hasPart);
  return partId(value.slice(1), hasPart);
}

/** "1a" or "1a:path:to:field": a hexadecimal part number that exists. */
function partId(reference: string, exists: (id: number) => boolean): boolean {
  const id = reference.split(":")[0]!;
  return /^[0-9a-f]{1,8}$/i.test(id) && exists(parseInt(id, 16));
}

/** The host Next compares the Origin with: the first X-Forwarded-Host, else Host. */
function requestHost(headers: Headers): string | null {
  return headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

function refuse(status: 400 | 403 | 413, reason: string): ActionVerdict {
  return { pass: false, status, reason };
}
