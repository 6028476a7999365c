import { describe, expect, it } from "vitest";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { newWebhookSecret, signatureHeaders, WEBHOOK_SECRET_PATTERN } from "./signing";

const body = JSON.stringify({ type: "account.needs_reconnect", timestamp: "2026-11-29T08:00:00.000Z", data: { account: { username: "ada" } } });

describe("Standard Webhooks signatures", () => {
  it("makes secrets in the whsec_ form, each one different", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(WEBHOOK_SECRET_PATTERN);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it("verifies with the standardwebhooks library as a receiver would, and only with the right secret and body", () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders({ messageId: "msg_1", body, secrets: [secret], at: new Date() });
    expect(headers["webhook-id"]).toBe("msg_1");
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body.replace("ada", "eve"), headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "msg_2" })).toThrow(WebhookVerificationError);
  });

  it("signs with both secrets during a rotation, so either verifies", () => {
    const [next, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signatureHeaders({ messageId: "msg_1", body, secrets: [next, previous], at: new Date() });
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(next).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
  });

  it("carries the attempt's time, which receivers hold to a five-minute window", () => {
    const secret = newWebhookSecret();
    const old = signatureHeaders({ messageId: "msg_1", body, secrets: [secret], at: new Date(Date.now() - 10 * 60_000) });
    expect(() => new Webhook(secret).verify(body, old)).toThrow(/too old/);
  });
});
