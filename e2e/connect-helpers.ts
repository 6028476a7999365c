// Shared by the connect specs: reach into a running Keyport's database the way an operator's
// script would (support/keyport-tasks.ts, run by support/in-keyport.ts), and scan only Keyport's
// own responses for secrets.
import type { Page, Response } from "@playwright/test";
import { inKeyport, type Instance } from "./support/in-keyport";
import type { Keyport } from "./support/keyport";
import type { StoredAccount } from "./support/keyport-tasks";
import { findSecrets, type Secret } from "./support/leaks";

export type { Instance } from "./support/in-keyport";
export type { StoredAccount } from "./support/keyport-tasks";

export const callbackOf = (url: string) => `${url}/api/integrations/twitter/callback`;

/** Saves X app credentials through the data layer (workspace default, or a brand's override by name). */
export function seedCredentials(instance: Instance, app: { clientId: string; clientSecret: string }, brandName?: string) {
  return inKeyport(instance, "seedCredentials", { clientId: app.clientId, clientSecret: app.clientSecret, brandName });
}

/** A brand's accounts with their tokens opened, to check they are sealed at rest and work at X. */
export function storedAccounts(instance: Instance, brandName: string): StoredAccount[] {
  return inKeyport(instance, "storedAccounts", { brandName });
}

/** Every PKCE verifier Keyport has made so far, opened: none may ever appear in a response or log. */
export function storedVerifiers(instance: Instance): string[] {
  return inKeyport(instance, "storedVerifiers");
}

/** Moves Keyport's accounts a day on: their daily proof is due and their access tokens expired. */
export function aDayPasses(instance: Instance) {
  return inKeyport(instance, "aDayPasses");
}

export function expireConnectLinks(instance: Instance) {
  return inKeyport(instance, "expireConnectLinks");
}

/** Like support/leaks' watchForLeaks, but only for Keyport's responses: X's own redirect carries the code by design. */
export function watchKeyportForLeaks(page: Page, origin: string, secrets: () => Secret[]) {
  const hits: string[] = [];
  const pending: Promise<void>[] = [];
  let scanned = 0;
  const onResponse = (response: Response) => {
    if (!response.url().startsWith(origin)) return;
    pending.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders().catch(() => ({})));
        const body = await response.body().then((b) => b.toString("utf8"), () => "");
        scanned++;
        for (const hit of findSecrets(`${headers}\n${body}`, secrets())) hits.push(`${response.request().method()} ${new URL(response.url()).pathname}: ${hit}`);
      })(),
    );
  };
  page.on("response", onResponse);
  return {
    async result() {
      await Promise.all(pending);
      return { hits: [...hits], scanned };
    },
  };
}

/** Records the codes X hands to Keyport's callback in this page, so scans can look for them; returns the callback URLs seen. */
export function captureCodes(page: Page, keyport: Pick<Keyport, "url">, into: Secret[]): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (request.url().startsWith(callbackOf(keyport.url)) && url.searchParams.get("code")) {
      into.push({ name: "authorization code", value: url.searchParams.get("code")! });
      seen.push(request.url());
    }
  });
  return seen;
}
