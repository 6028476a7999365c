// Counting Keyport's calls to X per app and day, and what they cost (contract §8).
import { describe, expect, it } from "vitest";
import { recordXCall, usageByApp } from "@/lib/connections/usage";

describe("X usage", () => {
  it("counts concurrent calls exactly and prices only what X bills", async () => {
    const at = new Date();
    const call = (kind: "user-read" | "post" | "post-url" | "token", billed: boolean) => recordXCall({ workspaceId: "w1", credentialId: "app1", kind, billed, at });
    await Promise.all([
      ...Array.from({ length: 30 }, () => call("token", false)),
      ...Array.from({ length: 20 }, (_, i) => call("user-read", i < 5)),
      ...Array.from({ length: 3 }, () => call("post", true)),
      call("post-url", true),
    ]);
    await recordXCall({ workspaceId: "w1", credentialId: "app2", kind: "user-read", billed: true, at });
    await recordXCall({ workspaceId: "w2", credentialId: "app1", kind: "post", billed: true, at });
    // Older than the window asked for: not counted.
    await recordXCall({ workspaceId: "w1", credentialId: "app1", kind: "post", billed: true, at: new Date(at.getTime() - 40 * 86_400_000) });

    const usage = await usageByApp("w1", ["app1", "app2", "app3"], new Date(at.getTime() - 30 * 86_400_000));
    const app1 = usage.get("app1")!;
    expect(app1.byKind.token).toEqual({ calls: 30, billed: 0, costMicros: 0 });
    expect(app1.byKind["user-read"]).toEqual({ calls: 20, billed: 5, costMicros: 50_000 });
    expect(app1.own).toEqual({ calls: 50, billed: 5, costMicros: 50_000 });
    expect(app1.posts).toEqual({ calls: 4, billed: 4, costMicros: 3 * 15_000 + 200_000 });
    expect(usage.get("app2")!.own.costMicros).toBe(10_000);
    expect(usage.get("app3")!.own).toEqual({ calls: 0, billed: 0, costMicros: 0 });
  });
});
