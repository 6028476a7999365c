import { describe, expect, it } from "vitest";
import { costClassOf, MAX_WEIGHTED_LENGTH, weighPost } from "./text";

describe("weighPost (twitter-text v3)", () => {
  it("280 plain characters are accepted, 281 are not", () => {
    expect(weighPost("a".repeat(280))).toMatchObject({ weightedLength: 280, valid: true, costClass: "standard", doubled: [] });
    expect(weighPost("a".repeat(281))).toMatchObject({ weightedLength: 281, valid: false });
    expect(MAX_WEIGHTED_LENGTH).toBe(280);
  });

  it("a URL counts 23 whatever its length and makes the post a URL post", () => {
    const url = `https://example.com/${"x".repeat(200)}`;
    const w = weighPost(`${"a".repeat(256)} ${url}`);
    expect(w).toMatchObject({ weightedLength: 280, valid: true, costClass: "url", urls: [url], doubled: [] });
    expect(weighPost(`${"a".repeat(257)} ${url}`).valid).toBe(false);
    expect(costClassOf("see example.com")).toBe("url");
    expect(costClassOf("mail me at a@b and 3.14")).toBe("standard");
  });

  it("CJK characters and emoji count 2 and are named as counting double", () => {
    expect(weighPost("日本語")).toMatchObject({ weightedLength: 6, doubled: ["日", "本", "語"] });
    expect(weighPost("😀".repeat(140))).toMatchObject({ weightedLength: 280, valid: true, doubled: ["😀"] });
    expect(weighPost("😀".repeat(141)).valid).toBe(false);
    // A family emoji (a ZWJ sequence of four code points) is one emoji: 2.
    expect(weighPost("👨‍👩‍👧‍👦").weightedLength).toBe(2);
    expect(weighPost(`${"漢".repeat(139)}ab`)).toMatchObject({ weightedLength: 280, valid: true });
    expect(weighPost(`${"漢".repeat(140)}a`).valid).toBe(false);
  });

  it("blank text is not a valid post", () => {
    expect(weighPost("   ").valid).toBe(false);
  });
});
