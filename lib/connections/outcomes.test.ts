import { describe, expect, it } from "vitest";
import { ATTEMPT_OUTCOMES, describeOutcome, describeStartError, parseDetail, START_ERRORS } from "./outcomes";

describe("connect outcome messages", () => {
  it("every outcome and start error has a title and a body", () => {
    for (const outcome of ATTEMPT_OUTCOMES) {
      const notice = describeOutcome(outcome, { username: "ada", missing: ["dm.read"], error: "server_error", step: "profile" });
      expect(notice.title, outcome).toBeTruthy();
      expect(notice.body, outcome).toBeTruthy();
    }
    for (const code of START_ERRORS) expect(describeStartError(code)?.title, code).toBeTruthy();
    expect(describeStartError("<script>")).toBeNull();
    expect(describeStartError(null)).toBeNull();
  });

  it("missing scopes name the scopes, what breaks and the fix, in Keyport's order", () => {
    const notice = describeOutcome("missing-scopes", { username: "ada", missing: ["offline.access", "dm.write", "dm.read", "not.a.scope"] });
    expect(notice.title).toBe("Connected @ada, but X granted fewer permissions than Keyport needs");
    expect(notice.body).toContain("Missing: offline.access, dm.read, dm.write.");
    expect(notice.body).toContain("staying connected for more than two hours, reading direct messages and sending direct messages won't work");
    // The advice names the permission the missing scopes need: DMs need the DM level.
    expect(notice.fix).toMatch(/Developer Console.*“Read and write and Direct message”.*reconnect/);
    expect(notice.actions).toEqual(["retry", "guide"]);
  });

  it("only optional scopes missing: connected, not flagged, and the advice asks for no more than they need", () => {
    const notice = describeOutcome("missing-scopes", { username: "ada", missing: ["like.write"] });
    expect(notice.title).toBe("Connected @ada, without some optional permissions");
    expect(notice.body).toContain("X did not grant like.write, so liking posts won't work");
    expect(notice.body).not.toContain("flagged");
    expect(notice.fix).toContain("“Read and write”");
  });

  it("wrong or rotated credentials point to the setup guide; X being down offers a retry", () => {
    expect(describeOutcome("app-credentials")).toMatchObject({ tone: "error", actions: ["guide", "retry"] });
    expect(describeOutcome("app-credentials").body).toContain("unauthorized_client");
    expect(describeOutcome("x-unreachable")).toMatchObject({ title: "X could not be reached", actions: ["retry"] });
    expect(describeOutcome(null).title).toBe("Still finishing the connection");
    expect(describeOutcome("something-new").title).toBe("The connection failed");
  });

  it("parseDetail keeps only known, well-typed fields", () => {
    expect(parseDetail('{"username":"ada","missing":["dm.read",5],"step":"token","evil":"<b>"}')).toEqual({ username: "ada", missing: ["dm.read"], step: "token" });
    expect(parseDetail("not json")).toEqual({});
    expect(parseDetail(null)).toEqual({});
  });
});
