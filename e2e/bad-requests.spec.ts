// No request, however malformed, gets a 500. A real Keyport (`next start`) is sent ~1,000 bad
// requests of the kinds a fuzzer found: wrong-shaped arguments to every server action, bodies
// over Next's 1 MB limit (declared and chunked), multipart without a boundary, garbage, an Origin
// of `null` or of another site, unknown and malformed Next-Action ids, signed in and out. Every
// answer must be below 500 and carry no stack trace; afterwards the app still works in the
// browser, including a server-action form submitted before hydration (Origin: null).
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { completeSetup } from "./support/flows";
import { launchKeyport, type Keyport } from "./support/keyport";

let keyport: Keyport;
let cookie = "";
let brandPath = "";

test.describe.configure({ mode: "serial" });
test.beforeAll(async () => {
  keyport = await launchKeyport();
});
test.afterAll(async () => {
  await keyport?.stop();
});

/** Every server action of the build, by name: the ids the browser would send. */
function actionIds(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName: string }> };
  return Object.fromEntries(Object.entries(manifest.node).map(([id, entry]) => [entry.exportedName, id]));
}

type Probe = { label: string; path: string; method?: string; headers: Record<string, string>; body?: BodyInit | null; chunked?: boolean };

const MB2 = JSON.stringify(["x".repeat(2 * 1024 * 1024)]);
const BAD_ARGS = ["[123]", "[null]", "[[]]", '[[1,"a",{}]]', '["just a string"]', "[]", '[{"clientId":123,"clientSecret":[],"brandId":{"a":{"b":1}}}]', '[{"membershipId":null,"role":[]}]'];
// Valid JSON that React's reply decoder reads as references to parts that don't exist.
const REFERENCES = ['["$@1"]', '["$Q1"]', '["$K1"]', '["$F1"]', '["$T"]', '["$h1"]', '["$B1"]', '["$n"]', '["$nabc"]', '["$"]', '"$Y"', '{"0":"$1"}', '[{"a":["$1:a:b"]}]', '["$R1"]'];

function probes(ids: Record<string, string>): Probe[] {
  const origin = keyport.url;
  const signedIn = { cookie };
  const same = { origin, "sec-fetch-site": "same-origin" };
  const text = { "content-type": "text/plain;charset=UTF-8" };
  const list: Probe[] = [];
  const pages = ["/brands", "/settings/x", "/settings/members", brandPath, "/admin/connections", "/admin/audit", "/login", "/setup", "/", "/connect/not-a-token", "/no-such-page"];
  for (const [name, id] of Object.entries(ids)) {
    const action = { "next-action": id };
    const page = name.includes("Credential") || name.includes("Guide") ? "/settings/x" : name.includes("Member") || name.includes("Invite") || name.includes("leave") ? "/settings/members" : "/brands";
    const at = (label: string, headers: Record<string, string>, body?: BodyInit | null, chunked = false, path = page) => list.push({ label: `${name} ${label}`, path, headers, body, chunked });
    // Wrong-shaped arguments: the action answers { ok: false } itself.
    for (const args of [...BAD_ARGS, ...REFERENCES]) at(`args ${args}`, { ...signedIn, ...same, ...text, ...action }, args);
    for (const args of BAD_ARGS.slice(0, 3)) at(`signed out, args ${args}`, { ...same, ...text, ...action }, args);
    // Envelopes no page sends.
    at("2 MB JSON", { ...signedIn, ...same, ...text, ...action }, MB2);
    at("2 MB JSON, chunked", { ...signedIn, ...same, ...text, ...action }, MB2, true);
    at("multipart without a boundary", { ...signedIn, ...same, "content-type": "multipart/form-data", ...action }, "--x\r\n\r\n");
    at("multipart referring to a missing part", { ...signedIn, ...same, "content-type": "multipart/form-data; boundary=b", ...action }, '--b\r\ncontent-disposition: form-data; name="0"\r\n\r\n["$@5","$B7"]\r\n--b--\r\n');
    at("multipart without its root part", { ...signedIn, ...same, "content-type": "multipart/form-data; boundary=b", ...action }, '--b\r\ncontent-disposition: form-data; name="3"\r\n\r\n[1]\r\n--b--\r\n');
    at("multipart with a garbage part", { ...signedIn, ...same, "content-type": "multipart/form-data; boundary=b", ...action }, '--b\r\ncontent-disposition: form-data; name="0"\r\n\r\n["$1"]\r\n--b\r\ncontent-disposition: form-data; name="1"\r\n\r\n{{{\r\n--b--\r\n');
    at("multipart with the wrong boundary", { ...signedIn, ...same, "content-type": "multipart/form-data; boundary=abc", ...action }, "--zzz\r\ncontent-disposition: form-data; name=\"1\"\r\n\r\nx\r\n--zzz--");
    at("garbage", { ...signedIn, ...same, ...text, ...action }, "\u0000\u00ff{{{not json");
    at("invalid UTF-8", { ...signedIn, ...same, ...text, ...action }, new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]));
    at("empty body", { ...signedIn, ...same, ...text, ...action }, "");
    at("application/json", { ...signedIn, ...same, "content-type": "application/json", ...action }, "[null]");
    at("urlencoded", { ...signedIn, ...same, "content-type": "application/x-www-form-urlencoded", ...action }, "a=1");
    at("no content type", { ...signedIn, ...same, ...action }, "[null]");
    // Where it came from.
    at("Origin null, cross-site", { ...signedIn, ...text, ...action, origin: "null", "sec-fetch-site": "cross-site" }, "[null]");
    at("Origin null, no Sec-Fetch-Site", { ...signedIn, ...text, ...action, origin: "null" }, "[null]");
    at("another site's Origin", { ...signedIn, ...text, ...action, origin: "https://evil.example", "sec-fetch-site": "cross-site" }, "[null]");
    at("another port's Origin", { ...signedIn, ...text, ...action, origin: "http://127.0.0.1:1" }, "[null]");
    at("an unparsable Origin", { ...signedIn, ...text, ...action, origin: "http://[::1" }, "[null]");
    at("Origin null, multipart", { ...signedIn, ...action, origin: "null", "sec-fetch-site": "cross-site", "content-type": "multipart/form-data; boundary=b" }, "--b\r\ncontent-disposition: form-data; name=\"1\"\r\n\r\nx\r\n--b--\r\n");
    // Sent to the wrong page.
    at("on a page that doesn't have it", { ...signedIn, ...same, ...text, ...action }, "[null]", false, "/no-such-page");
  }
  const unknownIds = ["40" + "0".repeat(40), "00" + "f".repeat(40), "7f" + "a".repeat(40), "abc", "not an id", "x".repeat(300), "", "'; DROP TABLE \"User\"; --"];
  for (const path of pages) {
    for (const id of unknownIds) {
      for (const [bodyLabel, body] of [["[null]", "[null]"], ["garbage", "\u0000garbage"], ["2 MB", MB2]] as const) {
        list.push({ label: `unknown action ${JSON.stringify(id.slice(0, 20))} ${bodyLabel}`, path, headers: { ...signedIn, ...same, ...text, "next-action": id }, body });
      }
    }
    // Form posts (no Next-Action): the way a server-action form is sent before hydration.
    const form = (fields: string) => `--b\r\n${fields}--b--\r\n`;
    for (const [label, headers, body] of [
      ["$ACTION_ID of nothing", { ...signedIn, ...same, "content-type": "multipart/form-data; boundary=b" }, form(`content-disposition: form-data; name="$ACTION_ID_${"0".repeat(42)}"\r\n\r\n\r\n`)],
      ["$ACTION_REF garbage", { ...signedIn, ...same, "content-type": "multipart/form-data; boundary=b" }, form(`content-disposition: form-data; name="$ACTION_REF_1"\r\n\r\n\r\ncontent-disposition: form-data; name="$ACTION_1:0"\r\n\r\n{{{\r\n`)],
      ["multipart without a boundary", { ...signedIn, ...same, "content-type": "multipart/form-data" }, "x"],
      ["multipart, Origin null, cross-site", { ...signedIn, origin: "null", "sec-fetch-site": "cross-site", "content-type": "multipart/form-data; boundary=b" }, form("")],
      ["urlencoded", { ...signedIn, ...same, "content-type": "application/x-www-form-urlencoded" }, "$ACTION_ID_1=2"],
      ["JSON", { ...signedIn, ...same, "content-type": "application/json" }, '{"a":'],
      ["2 MB form", { ...signedIn, ...same, "content-type": "multipart/form-data; boundary=b" }, form(`content-disposition: form-data; name="x"\r\n\r\n${"y".repeat(2 * 1024 * 1024)}\r\n`)],
    ] as const) {
      list.push({ label: `form post ${label}`, path, headers: { ...headers }, body });
    }
    for (const method of ["PUT", "PATCH", "DELETE"]) list.push({ label: method, path, method, headers: { ...signedIn, ...same, ...text, "next-action": Object.values(ids)[0]! }, body: "[null]" });
  }
  return list;
}

async function send(probe: Probe) {
  let body = probe.body ?? undefined;
  if (probe.chunked && typeof body === "string") {
    const bytes = new TextEncoder().encode(body);
    body = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
  }
  const response = await fetch(`${keyport.url}${probe.path}`, {
    method: probe.method ?? "POST",
    headers: probe.headers,
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(20_000),
    ...(probe.chunked ? { duplex: "half" } : {}),
  } as RequestInit);
  return { status: response.status, text: await response.text() };
}

test("a fuzz of malformed requests: no 500s, no stack traces", async ({ page }) => {
  test.setTimeout(300_000);
  await completeSetup(page, keyport.url);
  await page.getByLabel("New brand name").fill("Fuzz Brand");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByRole("link", { name: "Fuzz Brand", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Fuzz Brand", level: 1 })).toBeVisible();
  brandPath = new URL(page.url()).pathname;
  cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

  const ids = actionIds();
  expect(Object.keys(ids)).toContain("testXCredentialsAction");
  const all = probes(ids);
  expect(all.length).toBeGreaterThan(900);
  const statuses: Record<number, number> = {};
  const failures: string[] = [];
  // Four at a time, as clients on the internet would send them: the server must not fall over either.
  let next = 0;
  const lane = async () => {
    while (next < all.length) {
      const probe = all[next++]!;
      const { status, text } = await send(probe);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 500) failures.push(`${status} ${probe.path} ${probe.label}`);
      else if (/\n\s+at .+:\d+:\d+/.test(text) || /node_modules|\.next\/server/.test(text)) failures.push(`stack trace in ${status} ${probe.path} ${probe.label}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
  console.log(`${all.length} bad requests → ${JSON.stringify(statuses)}`);
  expect(failures).toEqual([]);
  // The wrong-shaped arguments reached the actions, which refused them in their own words.
  const reply = await send({ label: "", path: "/settings/x", headers: { cookie, origin: keyport.url, "content-type": "text/plain;charset=UTF-8", "next-action": ids.testXCredentialsAction! }, body: '[{"clientId":123}]' });
  expect(reply.status).toBe(200);
  expect(reply.text).toContain('"ok":false');
  expect(reply.text).toContain("clientId");

  // Still working in the browser: an action from the page, and reading it back.
  await page.goto(`${keyport.url}/brands`);
  await page.getByLabel("New brand name").fill("After The Fuzz");
  await page.getByRole("button", { name: "Create brand" }).click();
  await expect(page.getByRole("link", { name: "After The Fuzz", exact: true })).toBeVisible();
});

test("a server-action form submitted before hydration (Origin: null under no-referrer) still works: sign out", async ({ browser }) => {
  const signedIn = await browser.newContext();
  const helper = await signedIn.newPage();
  await helper.goto(`${keyport.url}/login`);
  await helper.getByLabel("Email").fill("owner@agency.test");
  await helper.getByLabel("Password").fill("correct horse battery");
  await helper.getByRole("button", { name: "Sign in" }).click();
  await expect(helper.getByRole("heading", { name: "Brands" })).toBeVisible();

  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies(await signedIn.cookies());
  await signedIn.close();
  const page = await context.newPage();
  const sent: { origin?: string; site?: string; status?: number }[] = [];
  page.on("requestfinished", async (request) => {
    if (request.method() !== "POST") return;
    const headers = await request.allHeaders();
    sent.push({ origin: headers.origin, site: headers["sec-fetch-site"], status: (await request.response())?.status() });
  });
  await page.goto(`${keyport.url}/brands`);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(`${keyport.url}/brands`);
  await expect(page).toHaveURL(/\/login$/);
  // What Chromium really sent: Origin null, same-origin — and it was answered with a redirect, not a 500.
  expect(sent[0]).toEqual({ origin: "null", site: "same-origin", status: 303 });
  await context.close();
});
