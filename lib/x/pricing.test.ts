import { describe, expect, it } from "vitest";
import { formatUsd, parseUsd } from "./pricing";

describe("pricing", () => {
  it("parses USD amounts exactly into micro-dollars", () => {
    expect(parseUsd("0.015")).toBe(15_000);
    expect(parseUsd("0.2")).toBe(200_000);
    expect(parseUsd("12")).toBe(12_000_000);
    expect(() => parseUsd("-1")).toThrow();
    expect(() => parseUsd("0.0000001")).toThrow();
    expect(() => parseUsd("1e3")).toThrow();
  });

  it("formats cents with two decimals and smaller amounts with three", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(15_000)).toBe("$0.015");
    expect(formatUsd(200_000)).toBe("$0.20");
    expect(formatUsd(1_230_000)).toBe("$1.23");
    expect(formatUsd(1_235_000)).toBe("$1.235");
  });
});
