import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";

describe("pagination cursors", () => {
  it("round-trip, and only for the listing that made them", () => {
    const cursor = encodeCursor("brands", { n: "acme café", i: "cm1" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor("brands", cursor, ["n", "i"])).toEqual({ n: "acme café", i: "cm1" });
    expect(decodeCursor("accounts", cursor, ["i"])).toBeNull();
  });

  it("refuse anything else: garbage, missing or non-string fields, control characters", () => {
    expect(decodeCursor("brands", "not-base64-json", ["n", "i"])).toBeNull();
    expect(decodeCursor("brands", encodeCursor("brands", { n: "x" }), ["n", "i"])).toBeNull();
    expect(decodeCursor("brands", Buffer.from(JSON.stringify({ k: "brands", n: 1, i: "x" })).toString("base64url"), ["n", "i"])).toBeNull();
    expect(decodeCursor("brands", encodeCursor("brands", { n: "a\u0000b", i: "x" }), ["n", "i"])).toBeNull();
    expect(decodeCursor("brands", encodeCursor("brands", { n: "x".repeat(201), i: "x" }), ["n", "i"])).toBeNull();
  });
});
