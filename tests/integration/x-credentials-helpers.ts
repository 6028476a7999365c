// An X emulator per test file with two confidential apps whose callback is this suite's
// KEYPORT_PUBLIC_URL, and Keyport pointed at it.
import { afterAll, beforeAll } from "vitest";
import { startXEmulator, type XEmulator } from "@/e2e/x-emulator/index";
import { env } from "@/lib/env";

export const CALLBACK = "http://127.0.0.1:3999/api/integrations/twitter/callback";
export type AppKeys = { clientId: string; clientSecret: string };

export function emulatorWithTwoApps() {
  const ctx = { emu: undefined as unknown as XEmulator, app: undefined as unknown as AppKeys, otherApp: undefined as unknown as AppKeys };
  beforeAll(async () => {
    ctx.emu = await startXEmulator({ seed: { apps: [], users: [] } });
    Object.assign(env, { X_API_BASE_URL: ctx.emu.apiBaseUrl, X_AUTHORIZE_URL: ctx.emu.authorizeUrl });
    const a = await ctx.emu.control.createApp({ name: "Agency app", callbackUrls: [CALLBACK] });
    const b = await ctx.emu.control.createApp({ name: "Other app", callbackUrls: [CALLBACK] });
    ctx.app = { clientId: a.clientId, clientSecret: a.clientSecret! };
    ctx.otherApp = { clientId: b.clientId, clientSecret: b.clientSecret! };
  });
  afterAll(async () => {
    await ctx.emu?.close();
  });
  return ctx;
}
