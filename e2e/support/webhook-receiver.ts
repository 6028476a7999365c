// A webhook receiver for tests, written the way a Standard Webhooks consumer is: it verifies each
// request with the `standardwebhooks` library and hands an event to its handler once per
// webhook-id (retries of a message it already handled are acknowledged, not handled again).
// `plan` scripts its answers: a status per request, in order, then `otherwise`.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type Received = { path: string; headers: IncomingHttpHeaders; body: string; verified: boolean; at: number };
type Answer = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number; hang?: boolean };

export type Receiver = {
  url: string;
  port: number;
  requests: Received[];
  /** Events the handler processed: one per webhook-id. */
  handled: { id: string; payload: unknown }[];
  /** Set the secret the receiver verifies with (the endpoint's, once Keyport showed it). */
  secret: string | null;
  plan: Answer[];
  otherwise: Answer;
  close: () => Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const receiver = { requests: [], handled: [], secret: null, plan: [], otherwise: { status: 204 } } as unknown as Receiver;
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      let payload: unknown = null;
      if (receiver.secret) {
        try {
          payload = new Webhook(receiver.secret).verify(body, req.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
      }
      receiver.requests.push({ path: req.url ?? "/", headers: req.headers, body, verified, at: Date.now() });
      const answer = receiver.plan.shift() ?? receiver.otherwise;
      if (answer.hang) return;
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      // The handler: runs once per message id, whatever the response says about this attempt.
      const id = String(req.headers["webhook-id"] ?? "");
      if (verified && !seen.has(id)) {
        seen.add(id);
        receiver.handled.push({ id, payload });
      }
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  receiver.port = port;
  receiver.url = `http://127.0.0.1:${port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
