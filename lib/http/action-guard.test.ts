import { describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, checkPagePost } from "./action-guard";

const URL_ = "http://127.0.0.1:3000/brands";
const ID = "40" + "a".repeat(40);
const post = (headers: Record<string, string>, body: BodyInit = "[null]") =>
  checkPagePost(new Request(URL_, { method: "POST", headers: { host: "127.0.0.1:3000", ...headers }, body }));
const action = { "next-action": ID, "content-type": "text/plain;charset=UTF-8" };

describe("checkPagePost", () => {
  it("passes what Keyport's pages send: a fetch action from this origin, a form before hydration", async () => {
    expect(await post({ ...action, origin: "http://127.0.0.1:3000" }, '[{"brandId":"b1"},"$undefined","$D2026-01-01T00:00:00.000Z","$n12","$$dollar"]')).toEqual({ pass: true, origin: undefined });
    const form = new FormData();
    form.append(`$ACTION_ID_${ID}`, "");
    expect(await post({ origin: "null", "sec-fetch-site": "same-origin" }, form)).toEqual({ pass: true, origin: "http://127.0.0.1:3000" });
    const args = new FormData();
    args.append("0", '["$K1","$@2"]');
    args.append("1_email", "a@b.c");
    args.append("2", '{"a":1}');
    expect(await post({ "next-action": ID, origin: "http://127.0.0.1:3000" }, args)).toMatchObject({ pass: true });
  });

  it("refuses another site, an unverifiable null Origin and an unparsable one", async () => {
    expect(await post({ ...action, origin: "https://evil.example" })).toMatchObject({ pass: false, status: 403 });
    expect(await post({ ...action, origin: "null" })).toMatchObject({ pass: false, status: 403 });
    expect(await post({ ...action, origin: "null", "sec-fetch-site": "cross-site" })).toMatchObject({ pass: false, status: 403 });
    expect(await post({ ...action, origin: "http://[::1" })).toMatchObject({ pass: false, status: 400 });
    // The host Next compares with is the first X-Forwarded-Host.
    expect(await post({ ...action, origin: "https://keyport.example", "x-forwarded-host": "keyport.example, proxy" })).toMatchObject({ pass: true });
  });

  it("refuses envelopes no page sends", async () => {
    expect(await post({ ...action, "content-length": String(ACTION_BODY_LIMIT + 1) }, "x".repeat(ACTION_BODY_LIMIT + 1))).toMatchObject({ status: 413 });
    expect(await post({ "next-action": ID, "content-type": "multipart/form-data" }, "--x")).toMatchObject({ status: 400 });
    expect(await post({ ...action }, "{{{")).toMatchObject({ status: 400 });
    expect(await post({ ...action }, new Uint8Array([0x5b, 0xff, 0x5d]))).toMatchObject({ status: 400 });
    expect(await post({ "next-action": ID, "content-type": "application/json" })).toMatchObject({ status: 400 });
    expect(await post({ ...action, "next-action": "not an id" })).toMatchObject({ status: 400 });
  });

  it("refuses arguments that refer to parts the request doesn't have", async () => {
    for (const body of ['["$@1"]', '["$1"]', '["$Q1"]', '["$B1"]', '"$Y"', '["$"]', '["$nabc"]', '[{"a":["$h1:x"]}]']) {
      expect(await post(action, body), body).toMatchObject({ pass: false, status: 400 });
    }
    const missing = new FormData();
    missing.append("0", '["$@5"]');
    expect(await post({ "next-action": ID }, missing)).toMatchObject({ status: 400 });
    const noRoot = new FormData();
    noRoot.append("1", "[]");
    expect(await post({ "next-action": ID }, noRoot)).toMatchObject({ status: 400 });
  });

  it("lets a plain POST to a page through (Next renders it like a GET)", async () => {
    expect(await post({ "content-type": "text/plain" }, "hello")).toEqual({ pass: true, origin: undefined });
  });
});
