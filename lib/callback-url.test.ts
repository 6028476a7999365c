import { describe, expect, it } from "vitest";
import { callbackUrl, checkPublicUrl } from "./callback-url";

const ids = (u: string) => checkPublicUrl(u).map((c) => c.id);

describe("callback URL", () => {
  it("is the public URL plus the fixed path, without a double slash", () => {
    expect(callbackUrl("http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000/api/integrations/twitter/callback");
    expect(callbackUrl("https://keyport.agency.com/")).toBe("https://keyport.agency.com/api/integrations/twitter/callback");
  });

  it("flags what X refuses or what breaks the callback", () => {
    expect(ids("http://127.0.0.1:3000")).toEqual([]);
    expect(ids("https://keyport.agency.com")).toEqual([]);
    expect(ids("http://localhost:3000")).toEqual(["localhost"]);
    expect(ids("http://keyport.agency.com")).toEqual(["plain-http"]);
    expect(ids("http://[::1]:3000")).toEqual(["plain-http"]);
    expect(ids("http://127.0.0.2:3000")).toEqual(["plain-http"]);
    expect(ids("https://agency.com/keyport/")).toEqual(["trailing-slash", "path-prefix"]);
    expect(ids("https://keyport.agency.com/")).toEqual(["trailing-slash"]);
    expect(ids("https://agency.com/keyport")).toEqual(["path-prefix"]);
    expect(ids("not a url")).toEqual(["invalid"]);
  });
});
