import { describe, expect, it } from "vitest";
import { inspectClientId } from "./client-id";
import { classifyApiError, classifyTokenError } from "./errors";
import { BASE_SCOPES, missingScopes, parseScopes, requestedScopes, requiredPermission, SCOPE_PARAM } from "./scopes";

const b64 = (s: string) => Buffer.from(s).toString("base64url");

describe("inspectClientId", () => {
  it("reads the client kind hint X encodes in its Client IDs", () => {
    expect(inspectClientId(b64("abcdefghijklmnopqrst:1:ci"))).toBe("confidential");
    expect(inspectClientId(`  ${b64("abcdefghijklmnopqrst:1:na")} `)).toBe("public");
    // An OAuth 1.0a API Key is 25 alphanumerics that decode to binary noise.
    expect(inspectClientId("xvz1evFS4wEEPTGEFPHBog1Ab")).toBe("unknown");
    expect(inspectClientId("has spaces in it")).toBe("unknown");
  });
});

describe("scopes", () => {
  it("compares granted scopes as a set, whatever the order or separator", () => {
    expect(parseScopes("users.read  tweet.read+tweet.read")).toEqual(["users.read", "tweet.read"]);
    expect(missingScopes("offline.access users.read tweet.write tweet.read")).toEqual([]);
    expect(missingScopes("tweet.read users.read")).toEqual(["tweet.write", "offline.access"]);
    expect(missingScopes("tweet.read users.read tweet.write offline.access", requestedScopes("dm.write"))).toEqual(["dm.read", "dm.write"]);
  });

  it("asks for the least privilege by default and only known optional scopes beyond it", () => {
    expect(SCOPE_PARAM).toBe("tweet.read tweet.write users.read offline.access");
    expect(requiredPermission(requestedScopes(""))).toBe("read-write");
    // dm.read comes with dm.write (X grants them together); unknown words are dropped.
    expect(requestedScopes("dm.read bogus like.write users.email")).toEqual([...BASE_SCOPES, "like.write", "dm.read", "dm.write"]);
    expect(requiredPermission(requestedScopes("dm.read"))).toBe("read-write-dm");
    expect(requiredPermission(requestedScopes("like.read"))).toBe("read-write");
  });
});

describe("classifying X's answers", () => {
  it("blames the app only for a 401 from the token endpoint, the grant only for a 400", () => {
    expect(classifyTokenError(401, { error: "unauthorized_client", error_description: "Missing valid authorization header" })).toMatchObject({ kind: "app-credentials" });
    expect(classifyTokenError(401, { error: "invalid_client" })).toMatchObject({ kind: "app-credentials" });
    expect(classifyTokenError(400, { error: "invalid_request", error_description: "Value passed for the token was invalid." })).toMatchObject({ kind: "grant" });
    expect(classifyTokenError(400, { error: "invalid_request", error_description: "Value passed for the authorization code was invalid." })).toMatchObject({ kind: "grant" });
    expect(classifyTokenError(400, { error: "invalid_grant" })).toMatchObject({ kind: "grant" });
    // Keyport's own malformed request is not the grant's fault: no account may be marked for it.
    expect(classifyTokenError(400, { error: "invalid_request", error_description: "Missing required parameter [refresh_token]." })).toMatchObject({ kind: "transient", reason: "unexpected" });
    expect(classifyTokenError(400, { error: "invalid_request", error_description: "Value passed for the grant type was invalid. Grant type should be one of [authorization_code, refresh_token]." })).toMatchObject({ kind: "transient" });
    expect(classifyTokenError(500, { error: "server_error" })).toMatchObject({ kind: "transient", reason: "server-error" });
    expect(classifyTokenError(503, "<html>")).toMatchObject({ kind: "transient", reason: "server-error" });
    expect(classifyTokenError(429, null)).toMatchObject({ kind: "transient", reason: "rate-limited" });
    expect(classifyTokenError(401, "<html>")).toMatchObject({ kind: "transient", reason: "unexpected" });
  });

  it("tells a missing scope from an app that is not enrolled", () => {
    expect(classifyApiError(401, {})).toEqual({ kind: "unauthorized" });
    expect(classifyApiError(403, { title: "Forbidden", detail: "Forbidden" })).toMatchObject({ kind: "forbidden" });
    expect(classifyApiError(403, { title: "Client Forbidden", reason: "client-not-enrolled" })).toEqual({ kind: "client-not-enrolled" });
    expect(classifyApiError(429, {})).toMatchObject({ kind: "transient", reason: "rate-limited" });
  });
});
