// Webhooks as a receiver sees them: signed per Standard Webhooks (verified with the reference
// library), once per incident however many calls failed, retried with the same webhook-id until
// the receiver answers, never sent into a private network or after a redirect.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { createWebhookEndpointAction, deleteWebhookEndpointAction, rotateWebhookSecretAction, sendWebhookTestAction, updateWebhookEndpointAction } from "@/lib/actions/webhooks";
import { appKeyRing, openColumn, SEALED } from "@/lib/crypto/app-ring";
import { parseKeyRing } from "@/lib/crypto/keyring";
import { open, sealedKeyId } from "@/lib/crypto/seal";
import { resealAll } from "@/lib/data/key-rotation";
import { getValidAccessToken } from "@/lib/connections/tokens";
import { getWebhookEndpoint, listWebhookDeliveries } from "@/lib/data/webhooks";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { runNotificationPass } from "@/lib/notify/pass";
import { WEBHOOK_EVENT_NAMES, type WebhookEvent } from "@/lib/validations/webhooks";
import { agency, connectOnce, emulatorForThisFile, newApp, X_USERS, type App } from "./connect-helpers";
import { actAs } from "./helpers";
import { startReceiver, type Receiver } from "@/e2e/support/webhook-receiver";

const ctx = emulatorForThisFile();
let app: App;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => receiver?.close());
beforeEach(async () => {
  Object.assign(env, { KEYPORT_ALLOW_PRIVATE_WEBHOOKS: true, KEYPORT_WEBHOOK_TIMEOUT_MS: 10_000 });
  await ctx.emu.control.clearFaults();
  app ??= await newApp(ctx.emu);
  Object.assign(receiver, { requests: [], handled: [], plan: [], otherwise: { status: 204 }, secret: null });
});

async function connected(userId = X_USERS.ada) {
  const a = await agency(app);
  await connectOnce(ctx.emu, { userId: a.owner, workspaceId: a.workspaceId, brandId: a.brandId }, { userId });
  const account = await db.connectedAccount.findFirstOrThrow({ where: { brandId: a.brandId, xUserId: userId } });
  return { ...a, account };
}

async function endpoint(a: { owner: string; workspaceId: string }, url = `${receiver.url}/hooks`, events: WebhookEvent[] = [...WEBHOOK_EVENT_NAMES]) {
  actAs(a.owner, a.workspaceId);
  const created = await createWebhookEndpointAction({ url, description: "", events, enabled: true });
  if (!created.ok) throw new Error(`endpoint refused: ${created.error} ${JSON.stringify(created.fieldErrors)}`);
  receiver.secret = created.data.secret;
  return created.data;
}

/** The account's grant revoked at X and its token expired: the next refresh finds out. */
async function breakAtX(accountId: string) {
  await ctx.emu.control.revokeUserGrants(app.clientId, X_USERS.ada);
  await db.connectedAccount.update({ where: { id: accountId }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
}

async function passesUntilIdle(now = new Date()) {
  for (let i = 0; i < 20; i++) {
    const s = await runNotificationPass({ now });
    if (s.dispatched.notifications === 0 && s.webhooks.attempted + s.webhooks.skipped === 0) return;
  }
  throw new Error("notification passes never went idle");
}

const deliveriesOf = (endpointId: string) => db.webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });

describe("an incident, as the receiver sees it", () => {
  it("many failed calls → one signed delivery that verifies with the standardwebhooks library and carries no secret", async () => {
    const a = await connected();
    const ep = await endpoint(a);
    await breakAtX(a.account.id);
    const results = await Promise.all(Array.from({ length: 4 }, () => getValidAccessToken(a.workspaceId, a.account.id)));
    for (let i = 0; i < 5; i++) results.push(await getValidAccessToken(a.workspaceId, a.account.id));
    expect(results.every((r) => !r.ok)).toBe(true);

    await passesUntilIdle();
    await passesUntilIdle();
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const notification = await db.notification.findFirstOrThrow({ where: { workspaceId: a.workspaceId } });
    expect(request!.headers["webhook-id"]).toBe(notification.id);
    expect(request!.headers["content-type"]).toBe("application/json");
    // As a receiver would: the library verifies signature and timestamp, and returns the payload.
    const payload = new Webhook(ep.secret).verify(request!.body, request!.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({
      type: "account.needs_reconnect",
      data: { account: { id: a.account.id, username: "ada_sandbox" }, brand: { id: a.brandId }, status: "NEEDS_RECONNECT", reason: "refresh-failing" },
    });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(request!.body, request!.headers as Record<string, string>)).toThrow();

    const row = await db.connectedAccount.findUniqueOrThrow({ where: { id: a.account.id } });
    const endpointRow = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.endpointId } });
    for (const secret of [app.clientSecret, ep.secret, endpointRow.secretSealed, row.refreshTokenSealed!, openColumn(SEALED.refreshToken, row.id, row.refreshTokenSealed!)]) {
      expect(request!.body).not.toContain(secret);
      expect(JSON.stringify(request!.headers)).not.toContain(secret);
    }
    expect(await deliveriesOf(ep.endpointId)).toMatchObject([{ status: "DELIVERED", attempts: 1, messageId: notification.id, lastStatusCode: 204 }]);
  });

  it("a receiver that fails twice then succeeds handles the event once; every attempt has the same webhook-id; the log shows three attempts", async () => {
    const a = await connected();
    const ep = await endpoint(a);
    receiver.plan = [{ status: 500, body: "upstream\u0000 exploded\n".repeat(40) }, { status: 503 }];
    await breakAtX(a.account.id);
    await getValidAccessToken(a.workspaceId, a.account.id);

    const t0 = new Date();
    await runNotificationPass({ now: t0 });
    let [delivery] = await deliveriesOf(ep.endpointId);
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500 });
    // Not yet due: a pass before the retry time sends nothing.
    await runNotificationPass({ now: new Date(t0.getTime() + 1000) });
    expect(receiver.requests).toHaveLength(1);
    await runNotificationPass({ now: delivery!.nextAttemptAt! });
    [delivery] = await deliveriesOf(ep.endpointId);
    expect(delivery).toMatchObject({ status: "PENDING", attempts: 2, lastStatusCode: 503 });
    expect(delivery!.nextAttemptAt!.getTime() - delivery!.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(4 * 60_000);
    await runNotificationPass({ now: delivery!.nextAttemptAt! });

    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    expect(receiver.handled).toHaveLength(1);
    expect(receiver.handled[0]!.payload).toMatchObject({ type: "account.needs_reconnect" });

    const log = await listWebhookDeliveries(a.workspaceId, ep.endpointId);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ status: "DELIVERED", attempts: 3, nextAttemptAt: null, lastStatusCode: 204 });
    expect(log.items[0]!.log.map((l) => [l.attempt, l.statusCode, l.outcome])).toEqual([
      [1, 500, "http-error"],
      [2, 503, "http-error"],
      [3, 204, "delivered"],
    ]);
    // Only a short, single-line excerpt of what the receiver said is kept.
    expect(log.items[0]!.log[0]!.response!.length).toBeLessThanOrEqual(200);
    expect(log.items[0]!.log[0]!.response).not.toMatch(/[\u0000-\u001f]/);
    expect((await getWebhookEndpoint(a.workspaceId, ep.endpointId))!.state).toBe("healthy");
  });

  it("retries with backoff for about a day, then gives up and marks the endpoint failing until it answers again", async () => {
    const a = await connected();
    const ep = await endpoint(a);
    receiver.otherwise = { status: 502 };
    await breakAtX(a.account.id);
    await getValidAccessToken(a.workspaceId, a.account.id);
    const t0 = new Date();
    let now = t0;
    for (let i = 0; i < 12; i++) {
      await runNotificationPass({ now });
      const [d] = await deliveriesOf(ep.endpointId);
      if (d!.status !== "PENDING") break;
      now = d!.nextAttemptAt!;
    }
    const [d] = await deliveriesOf(ep.endpointId);
    expect(d).toMatchObject({ status: "FAILED", attempts: 8, nextAttemptAt: null });
    const hours = (d!.lastAttemptAt!.getTime() - t0.getTime()) / 3_600_000;
    expect(hours).toBeGreaterThan(20);
    expect(hours).toBeLessThan(32);
    expect(receiver.requests).toHaveLength(8);
    expect(await getWebhookEndpoint(a.workspaceId, ep.endpointId)).toMatchObject({ state: "failing", failingSince: d!.lastAttemptAt });

    receiver.otherwise = { status: 200 };
    actAs(a.owner, a.workspaceId);
    expect(await sendWebhookTestAction({ endpointId: ep.endpointId })).toMatchObject({ ok: true, data: { delivered: true, statusCode: 200 } });
    expect(await getWebhookEndpoint(a.workspaceId, ep.endpointId)).toMatchObject({ state: "healthy", failingSince: null });
  });
});

describe("where webhooks may go", () => {
  it("refuses loopback and private targets when saving without the test flag — literal, mapped and resolved", async () => {
    const a = await agency(app);
    Object.assign(env, { KEYPORT_ALLOW_PRIVATE_WEBHOOKS: false });
    actAs(a.owner, a.workspaceId);
    const attempt = (url: string) => createWebhookEndpointAction({ url, description: "", events: ["account.needs_reconnect"], enabled: true });
    for (const [url, why] of [
      [`http://127.0.0.1:${receiver.port}/hooks`, /127\.0\.0\.1 is a loopback address/],
      [`http://[::1]:${receiver.port}/`, /loopback/],
      [`http://[::ffff:127.0.0.1]:${receiver.port}/`, /loopback \(IPv4 inside IPv6\)/],
      [`http://2130706433:${receiver.port}/`, /127\.0\.0\.1 is a loopback address/],
      ["http://169.254.169.254/latest/meta-data", /link-local/],
      ["http://10.0.0.8/", /private network/],
      ["http://0.0.0.0/", /unspecified/],
      [`http://localhost:${receiver.port}/hooks`, /localhost resolves to (127\.0\.0\.1|::1), a loopback address/],
      ["https://user:pw@hooks.example.com/", /Leave user names and passwords out/],
    ] as const) {
      const result = await attempt(url);
      expect(result, url).toMatchObject({ ok: false, fieldErrors: { url: expect.stringMatching(why) } });
    }
    expect(await attempt("ftp://hooks.example.com/")).toMatchObject({ ok: false, fieldErrors: { url: "Enter a full URL, starting with https://." } });
    expect(await db.webhookEndpoint.count({ where: { workspaceId: a.workspaceId } })).toBe(0);

    Object.assign(env, { KEYPORT_ALLOW_PRIVATE_WEBHOOKS: true });
    expect(await attempt(`http://127.0.0.1:${receiver.port}/hooks`)).toMatchObject({ ok: true });
  });

  it("checks the address a hostname resolves to at send time: an endpoint saved while allowed is refused once it is not", async () => {
    const a = await connected();
    const ep = await endpoint(a, `http://localhost:${receiver.port}/hooks`);
    const literal = await endpoint(a, `http://127.0.0.1:${receiver.port}/literal`);
    Object.assign(env, { KEYPORT_ALLOW_PRIVATE_WEBHOOKS: false });
    await breakAtX(a.account.id);
    await getValidAccessToken(a.workspaceId, a.account.id);
    await runNotificationPass();
    expect(receiver.requests).toHaveLength(0);
    const [byName] = (await listWebhookDeliveries(a.workspaceId, ep.endpointId)).items;
    expect(byName!.log).toMatchObject([{ outcome: "refused", statusCode: null, error: expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address/) }]);
    expect(byName!.status).toBe("PENDING");
    const [byLiteral] = (await listWebhookDeliveries(a.workspaceId, literal.endpointId)).items;
    expect(byLiteral!.log).toMatchObject([{ outcome: "refused", error: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) }]);
  });

  it("does not follow redirects: a 3xx is a failed attempt and the redirect target is never called", async () => {
    const a = await connected();
    const ep = await endpoint(a);
    receiver.plan = [{ status: 307, headers: { location: `${receiver.url}/elsewhere` } }];
    actAs(a.owner, a.workspaceId);
    const result = await sendWebhookTestAction({ endpointId: ep.endpointId });
    expect(result).toMatchObject({ ok: true, data: { delivered: false, statusCode: 307, error: expect.stringMatching(/does not follow redirects/) } });
    expect(receiver.requests.map((r) => r.path)).toEqual(["/hooks"]);
    const [line] = (await listWebhookDeliveries(a.workspaceId, ep.endpointId)).items;
    expect(line).toMatchObject({ event: "webhook.test", status: "FAILED", log: [{ outcome: "redirect", statusCode: 307 }] });
  });

  it("gives up on a receiver that does not answer within the timeout", async () => {
    const a = await agency(app);
    const ep = await endpoint(a);
    Object.assign(env, { KEYPORT_WEBHOOK_TIMEOUT_MS: 500 });
    receiver.plan = [{ status: 200, hang: true }];
    actAs(a.owner, a.workspaceId);
    const started = Date.now();
    const result = await sendWebhookTestAction({ endpointId: ep.endpointId });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ ok: true, data: { delivered: false, statusCode: null, error: "No answer within 0.5 s." } });
  });
});

describe("endpoints", () => {
  it("only sends the events an endpoint chose, and nothing to one that is off", async () => {
    const a = await connected();
    const quiet = await endpoint(a, `${receiver.url}/quiet`, ["account.reconnected"]);
    const off = await endpoint(a, `${receiver.url}/off`);
    actAs(a.owner, a.workspaceId);
    expect(await updateWebhookEndpointAction({ endpointId: off.endpointId, url: `${receiver.url}/off`, description: "paused", events: [...WEBHOOK_EVENT_NAMES], enabled: false })).toMatchObject({ ok: true });
    await breakAtX(a.account.id);
    await getValidAccessToken(a.workspaceId, a.account.id);
    await passesUntilIdle();
    expect(receiver.requests).toHaveLength(0);
    expect(await db.webhookDelivery.count({ where: { endpointId: { in: [quiet.endpointId, off.endpointId] } } })).toBe(0);
    expect(await db.notification.count({ where: { workspaceId: a.workspaceId, dispatchedAt: null } })).toBe(0);
  });

  it("Send test event: signed, logged, and verifiable; a rotated secret signs beside the old one for a day", async () => {
    const a = await agency(app);
    const ep = await endpoint(a);
    actAs(a.owner, a.workspaceId);
    expect(await sendWebhookTestAction({ endpointId: ep.endpointId })).toMatchObject({ ok: true, data: { delivered: true, statusCode: 204 } });
    expect(receiver.handled).toMatchObject([{ payload: { type: "webhook.test", data: { workspace: { id: a.workspaceId } } } }]);

    const rotated = await rotateWebhookSecretAction({ endpointId: ep.endpointId });
    if (!rotated.ok) throw new Error(rotated.error);
    expect(rotated.data.secret).not.toBe(ep.secret);
    await sendWebhookTestAction({ endpointId: ep.endpointId });
    const last = receiver.requests.at(-1)!;
    const headers = last.headers as Record<string, string>;
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(rotated.data.secret).verify(last.body, headers)).toMatchObject({ type: "webhook.test" });
    expect(new Webhook(ep.secret).verify(last.body, headers)).toMatchObject({ type: "webhook.test" });

    // A day later only the new secret signs.
    await db.webhookEndpoint.update({ where: { id: ep.endpointId }, data: { previousSecretUntil: new Date(Date.now() - 1000) } });
    await sendWebhookTestAction({ endpointId: ep.endpointId });
    const latest = receiver.requests.at(-1)!;
    expect(() => new Webhook(ep.secret).verify(latest.body, latest.headers as Record<string, string>)).toThrow();
    expect(new Webhook(rotated.data.secret).verify(latest.body, latest.headers as Record<string, string>)).toBeTruthy();
    expect((await listWebhookDeliveries(a.workspaceId, ep.endpointId)).items.map((d) => d.status)).toEqual(["DELIVERED", "DELIVERED", "DELIVERED"]);
    // Enough to debug a receiver, not enough to aim Keyport at one.
    for (let i = 3; i < 10; i++) expect(await sendWebhookTestAction({ endpointId: ep.endpointId })).toMatchObject({ ok: true });
    expect(await sendWebhookTestAction({ endpointId: ep.endpointId })).toEqual({ ok: false, error: "That's 10 test events in a minute. Wait a moment before sending another." });
    expect(receiver.requests).toHaveLength(10);

    const stored = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.endpointId } });
    expect(stored.secretSealed).not.toContain(rotated.data.secret.slice(6));
    expect(await db.auditEvent.findMany({ where: { workspaceId: a.workspaceId, action: { startsWith: "webhook." } }, select: { action: true } })).toEqual(
      expect.arrayContaining([{ action: "webhook.created" }, { action: "webhook.secret_rotated" }]),
    );
  });

  it("members cannot manage endpoints, and nobody reaches another workspace's", async () => {
    const a = await agency(app);
    const b = await agency(app);
    const ep = await endpoint(a);
    actAs(a.member, a.workspaceId);
    expect(await createWebhookEndpointAction({ url: `${receiver.url}/x`, description: "", events: ["account.degraded"], enabled: true })).toMatchObject({ ok: false, error: "Only owners and admins can do that." });
    expect(await sendWebhookTestAction({ endpointId: ep.endpointId })).toMatchObject({ ok: false });
    actAs(b.owner, b.workspaceId);
    for (const result of [
      await sendWebhookTestAction({ endpointId: ep.endpointId }),
      await rotateWebhookSecretAction({ endpointId: ep.endpointId }),
      await deleteWebhookEndpointAction({ endpointId: ep.endpointId }),
      await updateWebhookEndpointAction({ endpointId: ep.endpointId, url: `${receiver.url}/stolen`, description: "", events: ["account.degraded"], enabled: true }),
    ]) {
      expect(result).toEqual({ ok: false, error: "Webhook endpoint not found." });
    }
    expect(receiver.requests).toHaveLength(0);
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.endpointId } })).toMatchObject({ url: `${receiver.url}/hooks` });
    expect(await createWebhookEndpointAction({ url: `${receiver.url}/x`, description: "", events: [], enabled: true })).toMatchObject({ ok: false, fieldErrors: { events: "Pick at least one event." } });
    expect(await createWebhookEndpointAction({ url: "not a url", description: "", events: ["account.degraded"], enabled: true } as never)).toMatchObject({ ok: false, fieldErrors: { url: "Enter a full URL, starting with https://." } });
  });
});

describe("key rotation", () => {
  it("npm run keys:rotate re-seals webhook secrets (current and previous) under the new key, unchanged", async () => {
    const a = await agency(app);
    const ep = await endpoint(a);
    actAs(a.owner, a.workspaceId);
    const rotated = await rotateWebhookSecretAction({ endpointId: ep.endpointId });
    if (!rotated.ok) throw new Error(rotated.error);
    const current = appKeyRing();
    const ring = parseKeyRing(`next:${randomBytes(32).toString("base64")},${[...current.keys.entries()].map(([id, key]) => `${id}:${Buffer.from(key).toString("base64")}`).join(",")}`);
    const report = await resealAll(db, ring);
    expect(report.WebhookEndpoint!.failed).toBe(0);
    expect(report.WebhookEndpoint!.resealed).toBeGreaterThanOrEqual(2);
    const row = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.endpointId } });
    expect(sealedKeyId(row.secretSealed)).toBe("next");
    expect(sealedKeyId(row.previousSecretSealed!)).toBe("next");
    expect(open(row.secretSealed, { table: "WebhookEndpoint", field: "secretSealed", rowId: row.id }, ring)).toBe(rotated.data.secret);
    expect(open(row.previousSecretSealed!, { table: "WebhookEndpoint", field: "previousSecretSealed", rowId: row.id }, ring)).toBe(ep.secret);

    // Until the app's own ring has the new key, such an endpoint's deliveries wait (never unsigned).
    expect(await sendWebhookTestAction({ endpointId: ep.endpointId })).toMatchObject({ ok: true, data: { delivered: false, error: expect.stringContaining("KEYPORT_ENCRYPTION_KEYS") } });
    expect(receiver.requests).toHaveLength(0);
    // Back under the app's key, for the tests that follow.
    await resealAll(db, { current: current.current, keys: ring.keys });
  });
});

describe("deleting an endpoint", () => {
  it("stops its deliveries and removes its log", async () => {
    const a = await connected();
    const ep = await endpoint(a, `${receiver.url}/to-delete`);
    receiver.otherwise = { status: 500 };
    await breakAtX(a.account.id);
    await getValidAccessToken(a.workspaceId, a.account.id);
    await runNotificationPass();
    expect(await db.webhookDelivery.count({ where: { endpointId: ep.endpointId, status: "PENDING" } })).toBe(1);
    actAs(a.owner, a.workspaceId);
    expect(await deleteWebhookEndpointAction({ endpointId: ep.endpointId })).toEqual({ ok: true, data: undefined });
    expect(await db.webhookDelivery.count({ where: { endpointId: ep.endpointId } })).toBe(0);
    expect(await db.webhookAttempt.count({ where: { endpointId: ep.endpointId } })).toBe(0);
    await runNotificationPass({ now: new Date(Date.now() + 3_600_000) });
    expect(receiver.requests.filter((r) => r.path === "/to-delete")).toHaveLength(1);
  });
});
