// Drives the connect flow the way a browser would, without one: the connect route's 303 to X, the
// emulator's consent decision (its control API's authorize-direct runs the same checks as the
// page), and the callback route — both routes called directly with a NextRequest.
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll } from "vitest";
import { GET as callbackRoute } from "@/app/api/integrations/twitter/callback/route";
import { POST as connectRoute } from "@/app/api/integrations/twitter/connect/route";
import { startXEmulator, type XEmulator } from "@/e2e/x-emulator/index";
import { saveCredentials } from "@/lib/data/x-credentials";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { actAs, makeWorkspace } from "./helpers";

export const ORIGIN = "http://127.0.0.1:3999";
export const CALLBACK = `${ORIGIN}/api/integrations/twitter/callback`;
export const X_USERS = { ada: "1790000000000000001", blue: "1790000000000000002", north: "1790000000000000003" };

export type App = { clientId: string; clientSecret: string };

/** One emulator per test file (seeded users, no apps), with Keyport pointed at it. */
export function emulatorForThisFile() {
  const ctx = { emu: undefined as unknown as XEmulator };
  beforeAll(async () => {
    ctx.emu = await startXEmulator({ seed: { apps: [], users: seedUsers() } });
    Object.assign(env, { X_API_BASE_URL: ctx.emu.apiBaseUrl, X_AUTHORIZE_URL: ctx.emu.authorizeUrl });
  });
  afterAll(async () => ctx.emu?.close());
  return ctx;
}

function seedUsers() {
  return [
    { id: X_USERS.ada, name: "Ada Sandbox", username: "ada_sandbox" },
    { id: X_USERS.blue, name: "Blue Lantern Café", username: "bluelanterncafe" },
    { id: X_USERS.north, name: "Northwind Studio", username: "northwindstudio", verified: true },
  ];
}

/** An app set up as Keyport's guide says: Keyport asks for DM scopes, which need "Read, write and Direct Messages". */
export async function newApp(emu: XEmulator, name = "Agency app", callbackUrls = [CALLBACK]): Promise<App> {
  const app = await emu.control.createApp({ name, callbackUrls, permission: "read-write-dm" });
  return { clientId: app.clientId, clientSecret: app.clientSecret! };
}

let n = 0;
/** A workspace with an owner, an admin and a member, a brand, and (optionally) the default X app saved. */
export async function agency(app: App | null) {
  n++;
  const { workspace, users } = await makeWorkspace(`Agency ${n}`, [
    { email: `owner${n}@connect.test`, role: "OWNER" },
    { email: `member${n}@connect.test`, role: "MEMBER" },
    { email: `other${n}@connect.test`, role: "MEMBER" },
  ]);
  const owner = users[`owner${n}@connect.test`]!;
  const brand = await db.brand.create({ data: { workspaceId: workspace.id, name: `Brand ${n}`, nameKey: `brand ${n}` } });
  if (app) await saveDefault(workspace.id, owner, app);
  return { workspaceId: workspace.id, owner, member: users[`member${n}@connect.test`]!, other: users[`other${n}@connect.test`]!, brandId: brand.id };
}

export async function saveDefault(workspaceId: string, ownerId: string, app: App, brandId?: string) {
  const result = await saveCredentials({
    workspaceId,
    brandId,
    actor: { id: ownerId, name: "Owner" },
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    confirmAccountsMarked: 0,
    test: { status: "valid", message: "X accepted the credentials." },
  });
  if (result.status !== "saved") throw new Error(`could not save credentials: ${result.status}`);
  return result;
}

export async function addBrand(workspaceId: string, name = `Brand ${randomUUID().slice(0, 6)}`) {
  return db.brand.create({ data: { workspaceId, name, nameKey: name.toLowerCase() } });
}

/** POST /api/integrations/twitter/connect (the brand page's Connect form) as `userId`; returns the response. */
export async function startConnect(userId: string | null, workspaceId: string, brandId: string, headers: Record<string, string> = {}) {
  actAs(userId, workspaceId);
  return connectRoute(connectPost(brandId, headers));
}

/** The request the Connect form sends: a form body with the brand id (as Chromium sends it from Keyport's pages). */
export function connectPost(brandId: string | string[], headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const id of [brandId].flat()) body.append("brandId", id);
  return new NextRequest(`${ORIGIN}/api/integrations/twitter/connect`, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "null", "sec-fetch-site": "same-origin", ...headers },
  });
}

/** Starts and returns the authorize URL Keyport sent the browser to. */
export async function startToX(userId: string, workspaceId: string, brandId: string): Promise<URL> {
  const response = await startConnect(userId, workspaceId, brandId);
  if (response.status !== 303) throw new Error(`connect answered ${response.status}`);
  return new URL(response.headers.get("location")!);
}

/** The person's decision on X's consent page; returns where X sends the browser. */
export async function consent(emu: XEmulator, authorize: URL, options: { userId?: string; deny?: boolean; dropScopes?: string[] } = {}) {
  const q = authorize.searchParams;
  const scope = q.get("scope")!.split(" ").filter((s) => !options.dropScopes?.includes(s));
  const result = await emu.control.authorizeDirect({
    clientId: q.get("client_id")!,
    redirectUri: q.get("redirect_uri")!,
    scope,
    state: q.get("state")!,
    codeChallenge: q.get("code_challenge")!,
    method: q.get("code_challenge_method")!,
    userId: options.userId ?? X_USERS.ada,
    deny: options.deny,
  });
  return new URL(result.location);
}

/** GET the callback URL X redirected to, as `userId` (null: signed out), with optional cookies. */
export async function hitCallback(url: URL | string, userId: string | null, workspaceId?: string, cookies: Record<string, string> = {}) {
  actAs(userId, workspaceId);
  const request = new NextRequest(url.toString());
  for (const [name, value] of Object.entries(cookies)) request.cookies.set(name, value);
  return callbackRoute(request);
}

/** Start as `userId`, consent at X, come back: the whole round trip. */
export async function connectOnce(emu: XEmulator, who: { userId: string; workspaceId: string; brandId: string }, options: Parameters<typeof consent>[2] = {}) {
  const authorize = await startToX(who.userId, who.workspaceId, who.brandId);
  const back = await consent(emu, authorize, options);
  const response = await hitCallback(back, who.userId, who.workspaceId);
  return { authorize, back, response, location: response.headers.get("location") };
}

export async function tokenCalls(emu: XEmulator) {
  return emu.control.requests({ method: "POST", path: "/2/oauth2/token" });
}

export async function attemptFor(location: string | null) {
  const id = location ? new URL(location).searchParams.get("connect") : null;
  return id ? db.connectAttempt.findUnique({ where: { id } }) : null;
}
