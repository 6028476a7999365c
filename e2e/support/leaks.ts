// Watches every response a page receives (HTML, RSC payloads, server action results, JSON,
// headers) for secrets. A hit names the URL and which secret, never the secret itself.
import type { Page, Response } from "@playwright/test";

export type Secret = { name: string; value: string };

export function watchForLeaks(page: Page, secrets: () => Secret[]) {
  const hits: string[] = [];
  const pending: Promise<void>[] = [];
  let scanned = 0;
  const onResponse = (response: Response) => {
    pending.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders().catch(() => ({})));
        const body = await response.body().then((b) => b.toString("utf8"), () => "");
        scanned++;
        for (const hit of findSecrets(`${headers}\n${body}`, secrets())) hits.push(`${response.request().method()} ${response.url()}: ${hit}`);
      })(),
    );
  };
  page.on("response", onResponse);
  return {
    /** Waits for every response seen so far to be scanned. */
    async result() {
      await Promise.all(pending);
      return { hits: [...hits], scanned };
    },
    stop: () => page.off("response", onResponse),
  };
}

export function findSecrets(text: string, secrets: Secret[]): string[] {
  return secrets.filter((s) => s.value && text.includes(s.value)).map((s) => s.name);
}

/** A Client ID may show six characters; any seven in a row is a leak. */
export function clientIdLeakProbe(clientId: string): Secret {
  return { name: "Client ID beyond its first six characters", value: clientId.slice(0, 7) };
}
