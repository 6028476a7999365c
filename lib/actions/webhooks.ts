"use server";
// Webhook endpoints: add, change, turn on/off, rotate the secret, delete, send a test event.
// Owners and admins only. A new or rotated secret is returned once, to the person who made it.
import { revalidatePath } from "next/cache";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  rotateWebhookSecret,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
  WEBHOOK_ENDPOINTS_MAX,
} from "../data/webhooks";
import { env } from "../env";
import { sendTestEvent, TEST_EVENTS_PER_MINUTE } from "../notify/deliver";
import { targetProblem } from "../notify/safe-post";
import { requireRole } from "../session";
import {
  toggleWebhookEndpointSchema,
  updateWebhookEndpointSchema,
  webhookEndpointIdSchema,
  webhookEndpointSchema,
  type UpdateWebhookEndpointInput,
  type WebhookEndpointInput,
} from "../validations/webhooks";
import { fail, guarded, invalid, ok, type ActionResult } from "./result";

export async function createWebhookEndpointAction(input: WebhookEndpointInput): Promise<ActionResult<{ endpointId: string; secret: string }>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = webhookEndpointSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const problem = await targetProblem(parsed.data.url, env.KEYPORT_ALLOW_PRIVATE_WEBHOOKS);
    if (problem) return fail("Keyport can't send webhooks to that URL.", { url: problem });
    const created = await createWebhookEndpoint(user.workspaceId, { id: user.id, name: user.name }, parsed.data);
    if (created.status === "limit") return fail(`A workspace can have up to ${WEBHOOK_ENDPOINTS_MAX} webhook endpoints. Delete one you no longer use first.`);
    revalidatePath("/settings/webhooks");
    return ok({ endpointId: created.id, secret: created.secret });
  });
}

export async function updateWebhookEndpointAction(input: UpdateWebhookEndpointInput): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = updateWebhookEndpointSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const { endpointId, ...fields } = parsed.data;
    const problem = await targetProblem(fields.url, env.KEYPORT_ALLOW_PRIVATE_WEBHOOKS);
    if (problem) return fail("Keyport can't send webhooks to that URL.", { url: problem });
    if (!(await updateWebhookEndpoint(user.workspaceId, { id: user.id, name: user.name }, endpointId, fields))) return fail("Webhook endpoint not found.");
    revalidatePath("/settings/webhooks");
    revalidatePath(`/settings/webhooks/${endpointId}`);
    return ok();
  });
}

export async function setWebhookEndpointEnabledAction(input: { endpointId: string; enabled: boolean }): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = toggleWebhookEndpointSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    if (!(await setWebhookEndpointEnabled(user.workspaceId, { id: user.id, name: user.name }, parsed.data.endpointId, parsed.data.enabled))) return fail("Webhook endpoint not found.");
    revalidatePath("/settings/webhooks");
    revalidatePath(`/settings/webhooks/${parsed.data.endpointId}`);
    return ok();
  });
}

export async function rotateWebhookSecretAction(input: { endpointId: string }): Promise<ActionResult<{ secret: string }>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = webhookEndpointIdSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const rotated = await rotateWebhookSecret(user.workspaceId, { id: user.id, name: user.name }, parsed.data.endpointId);
    if (rotated.status === "not-found") return fail("Webhook endpoint not found.");
    if (rotated.status === "conflict") return fail("Someone rotated this secret at the same moment. Reload the page and try again.");
    revalidatePath(`/settings/webhooks/${parsed.data.endpointId}`);
    return ok({ secret: rotated.secret });
  });
}

export async function deleteWebhookEndpointAction(input: { endpointId: string }): Promise<ActionResult> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = webhookEndpointIdSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    if (!(await deleteWebhookEndpoint(user.workspaceId, { id: user.id, name: user.name }, parsed.data.endpointId))) return fail("Webhook endpoint not found.");
    revalidatePath("/settings/webhooks");
    return ok();
  });
}

export type TestEventOutcome = { delivered: boolean; statusCode: number | null; durationMs: number; error: string | null };

export async function sendWebhookTestAction(input: { endpointId: string }): Promise<ActionResult<TestEventOutcome>> {
  return guarded(async () => {
    const user = await requireRole("ADMIN");
    const parsed = webhookEndpointIdSchema.safeParse(input);
    if (!parsed.success) return invalid(parsed.error);
    const sent = await sendTestEvent(user.workspaceId, parsed.data.endpointId, user.workspaceName);
    if (sent.status === "not-found") return fail("Webhook endpoint not found.");
    if (sent.status === "too-many") return fail(`That's ${TEST_EVENTS_PER_MINUTE} test events in a minute. Wait a moment before sending another.`);
    revalidatePath(`/settings/webhooks/${parsed.data.endpointId}`);
    const { result } = sent;
    return ok({ delivered: result.ok, statusCode: result.statusCode, durationMs: result.durationMs, error: result.error });
  });
}
