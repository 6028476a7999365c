import { describe, expect, it } from "vitest";
import { classifyTokenError, describeXAnswer, rateLimitReset, transientFromError } from "./errors";

describe("X's answer as recorded on the account", () => {
  it("keeps X's status, error and description, and nothing else", () => {
    expect(describeXAnswer(400, { error: "invalid_request", error_description: "Value passed for the token was invalid." })).toBe("400 invalid_request: Value passed for the token was invalid.");
    expect(describeXAnswer(429, { title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 })).toBe("429 Too Many Requests: Too Many Requests");
    expect(describeXAnswer(503, "<html>busy</html>")).toBe("503");
    expect(describeXAnswer(500, { error: "x".repeat(1000) }).length).toBeLessThanOrEqual(300);
  });

  it("each token failure carries it; a failure without an answer says so", () => {
    expect(classifyTokenError(401, { error: "unauthorized_client", error_description: "Missing valid authorization header" })).toMatchObject({
      kind: "app-credentials",
      xError: "401 unauthorized_client: Missing valid authorization header",
    });
    expect(classifyTokenError(503, null)).toMatchObject({ kind: "transient", reason: "server-error", xError: "503" });
    expect(transientFromError(Object.assign(new Error("t"), { name: "TimeoutError" }))).toMatchObject({ reason: "timeout", xError: "no reply from X: timed out" });
    expect(transientFromError(new TypeError("fetch failed"))).toMatchObject({ reason: "unreachable", xError: expect.stringMatching(/^no reply from X/) });
  });
});

describe("rateLimitReset", () => {
  it("reads x-rate-limit-reset (unix seconds); ignores junk", () => {
    expect(rateLimitReset(new Headers({ "x-rate-limit-reset": "1900000000" }))).toEqual(new Date(1_900_000_000_000));
    expect(rateLimitReset(new Headers({ "x-rate-limit-reset": "soon" }))).toBeUndefined();
    expect(rateLimitReset(new Headers())).toBeUndefined();
  });
});
