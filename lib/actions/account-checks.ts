"use server";
// "Check now" for connected accounts: any member may ask whether accounts still work at X (it
// changes nothing but the account's status and profile, both of which X decides).
import { revalidatePath } from "next/cache";
import { checkAccount, type CheckResult } from "../connections/verify";
import { activeAccountIds } from "../data/account-checks";
import { brandInWorkspace } from "../data/x-credentials";
import { reconnectReasonLabel } from "../reconnect-reasons";
import { requireRole } from "../session";
import { CHECK_ALL_LIMIT, checkAccountSchema, checkBrandAccountsSchema } from "../validations/account-checks";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export type CheckSummary = { message: string; tone: "success" | "warning" | "error" };

export async function checkAccountAction(input: { accountId: string }): Promise<ActionResult<CheckSummary>> {
  return guarded<CheckSummary>(async () => {
    const user = await requireRole("MEMBER");
    const parsed = checkAccountSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const result = await checkAccount(user.workspaceId, parsed.data.accountId);
    if (result.status === "not-found") return fail("Account not found.");
    revalidatePath("/brands/[brandId]", "page");
    revalidatePath("/admin/connections");
    return ok(describe(result));
  });
}

export async function checkBrandAccountsAction(input: { brandId: string }): Promise<ActionResult<CheckSummary>> {
  return guarded<CheckSummary>(async () => {
    const user = await requireRole("MEMBER");
    const parsed = checkBrandAccountsSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    if (!(await brandInWorkspace(user.workspaceId, parsed.data.brandId))) return fail("Brand not found.");
    const ids = await activeAccountIds(user.workspaceId, parsed.data.brandId, CHECK_ALL_LIMIT);
    if (ids.length === 0) return ok({ tone: "success", message: "No active accounts to check." });
    const results: CheckResult[] = [];
    // One at a time: each check may refresh a token under a lock and spends the app's rate limit.
    for (const id of ids) results.push(await checkAccount(user.workspaceId, id));
    revalidatePath("/brands/[brandId]", "page");
    revalidatePath("/admin/connections");
    const working = results.filter((r) => r.status === "working").length;
    const broken = results.filter((r) => r.status === "needs-reconnect").length;
    const unknown = results.filter((r) => r.status === "unknown").length;
    const parts = [`${working} working`, broken ? `${broken} need${broken === 1 ? "s" : ""} reconnecting` : null, unknown ? `${unknown} could not be checked (X did not answer)` : null].filter(Boolean);
    return ok({ tone: broken ? "error" : unknown ? "warning" : "success", message: `Checked ${results.length} account${results.length === 1 ? "" : "s"}: ${parts.join(", ")}.` });
  });
}

function describe(result: Exclude<CheckResult, { status: "not-found" }>): CheckSummary {
  switch (result.status) {
    case "working":
      return { tone: "success", message: `@${result.username} works: X accepted its token.` };
    case "needs-reconnect":
      return { tone: "error", message: `@${result.username} needs reconnecting: ${reconnectReasonLabel(result.reason)}.` };
    case "not-active":
      return { tone: "warning", message: `@${result.username} is not active; reconnect it instead.` };
    case "unknown":
      return { tone: "warning", message: `Could not check @${result.username}: ${result.why} Nothing was changed.` };
  }
}
