"use server";
// The X app credentials form: test, save (create or replace), remove, and walkthrough progress.
// Owners and admins only. Results carry previews and outcomes, never a secret.
import { revalidatePath } from "next/cache";
import { callbackUrl } from "../callback-url";
import { takeCredentialTest } from "../credential-test-throttle";
import {
  ConcurrentChangeError,
  dependentsFor,
  NO_DEPENDENTS,
  getCredentialForTest,
  removeCredentials,
  brandInWorkspace,
  recordStoredTest,
  saveCredentials,
  setGuideStep,
  type Dependents,
  type TestStatus,
} from "../data/x-credentials";
import { recordAudit } from "../data/audit";
import { env } from "../env";
import { requireRole } from "../session";
import {
  credentialScopeSchema,
  guideStepSchema,
  removeXCredentialsSchema,
  saveXCredentialsSchema,
  testXCredentialsSchema,
  xCredentialsSchema,
  type SaveXCredentialsInput,
  type TestXCredentialsInput,
} from "../validations/x-credentials";
import { inspectClientId } from "../x/client-id";
import { xEndpoints } from "../x/endpoints";
import { probeCredentials } from "../x/oauth";
import { describeProbe } from "../x/probe-messages";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export type TestOutcome = { status: TestStatus; message: string; testedAt: string };
export type RemoveOutcome = { status: "removed"; accountsMarked: number } | { status: "confirm"; dependents: Dependents };
export type SaveOutcome =
  | { status: "confirm"; dependents: Dependents }
  | { status: "saved"; created: boolean; accountsMarked: number; test: TestOutcome };

/** Tests pasted credentials (before saving), or the saved ones when none are pasted. */
export async function testXCredentialsAction(input: TestXCredentialsInput): Promise<ActionResult<TestOutcome>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const raw = testXCredentialsSchema.safeParse(input);
    if (!raw.success) return invalid(raw.error);
    const pasted = Boolean(raw.data.clientId?.trim() || raw.data.clientSecret?.trim());
    const actor = { id: user.id, name: user.name };
    if (pasted) {
      const parsed = xCredentialsSchema.safeParse(raw.data);
      if (!parsed.success) return invalid(parsed.error);
      const { brandId, clientId, clientSecret } = parsed.data;
      const brand = brandId ? await brandInWorkspace(user.workspaceId, brandId) : null;
      if (brandId && !brand) return fail("Brand not found.");
      const wait = await takeCredentialTest(user.workspaceId);
      if (wait) return fail(`Too many tests in a minute. Try again in ${wait} s.`);
      const test = await probe(clientId, clientSecret);
      await recordAudit({
        workspaceId: user.workspaceId,
        actor,
        brand,
        action: "credentials.tested",
        clientIdPreview: clientId.slice(0, 6),
        summary: `Tested pasted credentials (not saved): ${test.message}`,
        outcome: test.status,
      });
      return ok(test);
    }
    const scope = { workspaceId: user.workspaceId, brandId: raw.data.brandId };
    const brand = scope.brandId ? await brandInWorkspace(user.workspaceId, scope.brandId) : null;
    if (scope.brandId && !brand) return fail("Brand not found.");
    const stored = await getCredentialForTest(scope);
    if (!stored) return fail("Paste a Client ID and Client Secret to test.");
    const wait = await takeCredentialTest(user.workspaceId);
    if (wait) return fail(`Too many tests in a minute. Try again in ${wait} s.`);
    const test = await probe(stored.clientId, stored.clientSecret);
    await recordStoredTest({
      ...scope,
      actor,
      credentialId: stored.id,
      version: stored.version,
      preview: stored.clientId.slice(0, 6),
      brandName: brand?.name ?? null,
      status: test.status,
      message: test.message,
    });
    revalidate(scope.brandId);
    return ok(test);
  });
}

/**
 * Saves credentials after testing them. Credentials X rejects are not saved. Replacing asks
 * first how many connected accounts will need reconnecting (status "confirm").
 */
export async function saveXCredentialsAction(input: SaveXCredentialsInput): Promise<ActionResult<SaveOutcome>> {
  return guarded<SaveOutcome>(async () => {
    const user = await requireRole("ADMIN");
    const parsed = saveXCredentialsSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { brandId, clientId, clientSecret, confirmAccountsMarked } = parsed.data;
    const scope = { workspaceId: user.workspaceId, brandId };
    if (brandId && !(await brandInWorkspace(user.workspaceId, brandId))) return fail("Brand not found.");
    // Replacing: ask before spending a call to X on the test.
    const dependents = await dependentsFor(scope);
    if (dependents && confirmAccountsMarked !== dependents.total) return ok({ status: "confirm", dependents });
    const wait = await takeCredentialTest(user.workspaceId, "save");
    if (wait) return fail(`Too many saves in a minute. Try again in ${wait} s.`);
    const test = await probe(clientId, clientSecret);
    if (test.status === "invalid") {
      return fail(`Not saved. ${test.message}`, { clientSecret: "X rejected this Client ID and Client Secret." });
    }
    try {
      const saved = await saveCredentials({ ...scope, actor: { id: user.id, name: user.name }, clientId, clientSecret, confirmAccountsMarked, test });
      if (saved.status === "brand-not-found") return fail("Brand not found.");
      if (saved.status === "confirm") return ok({ status: "confirm", dependents: saved.dependents });
      revalidate(brandId);
      return ok({ status: "saved", created: saved.created, accountsMarked: saved.accountsMarked, test });
    } catch (error) {
      if (error instanceof ConcurrentChangeError) return fail(error.message);
      throw error;
    }
  });
}

export async function removeXCredentialsAction(input: { brandId?: string; confirmAccountsMarked: number }): Promise<ActionResult<RemoveOutcome>> {
  return guarded<RemoveOutcome>(async () => {
    const user = await requireRole("ADMIN");
    const parsed = removeXCredentialsSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    let result;
    try {
      result = await removeCredentials({ workspaceId: user.workspaceId, brandId: parsed.data.brandId, actor: { id: user.id, name: user.name }, confirmAccountsMarked: parsed.data.confirmAccountsMarked });
    } catch (error) {
      if (error instanceof ConcurrentChangeError) return fail(error.message);
      throw error;
    }
    if (result.status === "not-found") return fail("There are no saved credentials here (perhaps someone removed them already).");
    if (result.status === "removed") revalidate(parsed.data.brandId);
    return ok(result);
  });
}

/** How many accounts depend on the saved credentials, shown before replace or remove. */
export async function xCredentialDependentsAction(input: { brandId?: string }): Promise<ActionResult<Dependents>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = credentialScopeSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    if (parsed.data.brandId && !(await brandInWorkspace(user.workspaceId, parsed.data.brandId))) return fail("Brand not found.");
    return ok((await dependentsFor({ workspaceId: user.workspaceId, brandId: parsed.data.brandId })) ?? NO_DEPENDENTS);
  });
}

export async function setGuideStepAction(input: { step: string; done: boolean }): Promise<ActionResult<string[]>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = guideStepSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    return ok(await setGuideStep(user.workspaceId, parsed.data.step, parsed.data.done));
  });
}

async function probe(clientId: string, clientSecret: string): Promise<TestOutcome> {
  const result = await probeCredentials(xEndpoints(), { clientId, clientSecret }, callbackUrl(env.KEYPORT_PUBLIC_URL));
  return { status: result.status, message: describeProbe(result, inspectClientId(clientId)), testedAt: new Date().toISOString() };
}

function revalidate(brandId?: string) {
  revalidatePath(brandId ? `/brands/${brandId}` : "/settings/x");
  revalidatePath("/admin/audit");
}
