// Everything the emulator remembers: apps, users, grants with their tokens, codes, consent pages
// awaiting a click, rate-limit windows, tweets, switches, faults, the request log and its clock.
import { applyUpdate, buildApp, ValidationError } from "./apps";
import { newClientSecret, newOpaque, snowflake } from "./ids";
import type {
  AppPermission,
  CreateAppInput,
  CreateUserInput,
  EmulatorApp,
  EmulatorTweet,
  EmulatorUser,
  Fault,
  GrantSummary,
  RateLimit,
  RequestLogEntry,
  Seed,
  Switches,
  UpdateAppInput,
} from "./types";

export const DEFAULT_SWITCHES: Switches = {
  unknownClientError: "unauthorized_client",
  secretRegenRevokesGrants: false,
  reuseRevokesFamily: true,
  requireClientIdInBody: false,
  revokeEndsGrant: true,
  cancelRedirect: "access_denied",
  codeTtlSeconds: 30,
  accessTokenTtlSeconds: 7200,
  refreshTokenTtlSeconds: 180 * 24 * 3600,
  accessLevelHeader: true,
};

export type Grant = {
  id: string;
  clientId: string;
  userId: string;
  scopes: string[];
  permission: AppPermission;
  createdAtMs: number;
  revoked: boolean;
};

export type Token = {
  value: string;
  kind: "access" | "refresh";
  grantId: string;
  issuedAtMs: number;
  expiresAtMs: number;
  /** A refresh token that was exchanged for a new pair. */
  rotated: boolean;
  revoked: boolean;
};

export type Code = {
  value: string;
  clientId: string;
  userId: string;
  scopes: string[];
  redirectUri: string;
  challenge: string;
  method: string;
  expiresAtMs: number;
  used: boolean;
};

/** A validated authorize request waiting for the person to click Authorize app or Cancel. */
export type PendingConsent = {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  challenge: string;
  method: string;
  expiresAtMs: number;
};

export type WindowState = { limit: number; remaining: number; resetSec: number };

/** Validates a partial set of switches and applies it to `base`; throws ValidationError. */
export function mergeSwitches(base: Switches, patch: Partial<Switches>): Switches {
  if (!patch || typeof patch !== "object" || Array.isArray(patch)) throw new ValidationError("switches must be an object");
  const next = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in DEFAULT_SWITCHES)) throw new ValidationError(`unknown switch ${key}`);
    const k = key as keyof Switches;
    const expected = typeof DEFAULT_SWITCHES[k];
    if (typeof value !== expected) throw new ValidationError(`switch ${key} must be a ${expected}`);
    if (k === "unknownClientError" && !["unauthorized_client", "invalid_client"].includes(value as string)) {
      throw new ValidationError("unknownClientError must be unauthorized_client or invalid_client");
    }
    if (k === "cancelRedirect" && !["access_denied", "bare"].includes(value as string)) {
      throw new ValidationError("cancelRedirect must be access_denied or bare");
    }
    if (expected === "number" && !(Number.isFinite(value) && (value as number) > 0)) {
      throw new ValidationError(`switch ${key} must be a positive number`);
    }
    (next as Record<string, unknown>)[k] = value;
  }
  return next;
}

const CONSENT_TTL_MS = 15 * 60 * 1000;
const MAX_LOG = 2000;

export class EmulatorState {
  apps = new Map<string, EmulatorApp>();
  users: EmulatorUser[] = [];
  grants = new Map<string, Grant>();
  tokens = new Map<string, Token>();
  codes = new Map<string, Code>();
  consents = new Map<string, PendingConsent>();
  windows = new Map<string, { resetAtMs: number; remaining: number }>();
  tweets: EmulatorTweet[] = [];
  faults: Fault[] = [];
  requests: RequestLogEntry[] = [];
  switches: Switches;
  signedInUser: string | null = null;
  private offsetMs = 0;
  private nextGrant = 1;
  private nextLogId = 1;

  constructor(
    private readonly seed: Seed,
    private readonly baseSwitches: Switches,
    readonly baseUrl: string,
  ) {
    this.switches = { ...baseSwitches };
    this.reset();
  }

  /** Back to the seed, the start-up switches and real time. */
  reset() {
    for (const map of [this.apps, this.grants, this.tokens, this.codes, this.consents, this.windows]) map.clear();
    this.users = [];
    this.tweets = [];
    this.faults = [];
    this.requests = [];
    this.switches = { ...this.baseSwitches };
    this.signedInUser = null;
    this.offsetMs = 0;
    for (const app of this.seed.apps) this.createApp(app);
    for (const user of this.seed.users) this.createUser(user);
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advanceClock(seconds: number) {
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
      throw new ValidationError("seconds must be a non-negative number");
    }
    this.offsetMs += seconds * 1000;
    return this.clock();
  }

  clock() {
    return { now: new Date(this.now()).toISOString(), offsetSeconds: this.offsetMs / 1000 };
  }

  setSwitches(patch: Partial<Switches>): Switches {
    this.switches = mergeSwitches(this.switches, patch);
    return this.switches;
  }

  // ---- apps and users

  createApp(input: CreateAppInput): EmulatorApp {
    const app = buildApp(input);
    if (this.apps.has(app.clientId)) throw new ValidationError(`an app with client id ${app.clientId} exists`);
    this.apps.set(app.clientId, app);
    return app;
  }

  updateApp(clientId: string, patch: UpdateAppInput): EmulatorApp {
    const app = this.requireApp(clientId);
    const next = applyUpdate(app, patch);
    this.apps.set(clientId, next);
    return next;
  }

  deleteApp(clientId: string) {
    this.requireApp(clientId);
    this.apps.delete(clientId);
    this.revokeGrants((g) => g.clientId === clientId);
  }

  regenerateSecret(clientId: string): string {
    const app = this.requireApp(clientId);
    if (app.type === "public") throw new ValidationError("a public client has no secret");
    app.clientSecret = newClientSecret();
    if (this.switches.secretRegenRevokesGrants) this.revokeGrants((g) => g.clientId === clientId);
    return app.clientSecret;
  }

  requireApp(clientId: string): EmulatorApp {
    const app = this.apps.get(clientId);
    if (!app) throw new ValidationError(`no app with client id ${clientId}`);
    return app;
  }

  createUser(input: CreateUserInput): EmulatorUser {
    if (!input || typeof input.name !== "string" || !input.name.trim()) throw new ValidationError("name is required");
    if (typeof input.username !== "string" || !/^[A-Za-z0-9_]{1,15}$/.test(input.username)) {
      throw new ValidationError("username must be 1 to 15 of [A-Za-z0-9_]");
    }
    if (this.findUser(input.username)) throw new ValidationError(`username ${input.username} is taken`);
    const id = input.id ?? snowflake(this.now());
    if (!/^\d{1,19}$/.test(id)) throw new ValidationError("id must be a numeric string");
    if (this.users.some((u) => u.id === id)) throw new ValidationError(`user id ${id} is taken`);
    const user: EmulatorUser = {
      id,
      name: input.name.trim(),
      username: input.username,
      profileImageUrl: input.profileImageUrl ?? `${this.baseUrl}/profile_images/${id}/avatar_normal.svg`,
      verified: input.verified ?? false,
      description: input.description ?? "",
      createdAt: input.createdAt ?? "2020-01-01T00:00:00.000Z",
      protected: input.protected ?? false,
    };
    this.users.push(user);
    return user;
  }

  /** By id or by username (case-insensitive, leading @ allowed). */
  findUser(idOrUsername: string): EmulatorUser | undefined {
    const name = idOrUsername.replace(/^@/, "").toLowerCase();
    return this.users.find((u) => u.id === idOrUsername || u.username.toLowerCase() === name);
  }

  // ---- grants and tokens

  createGrant(clientId: string, userId: string, scopes: string[]): Grant {
    const app = this.requireApp(clientId);
    const grant: Grant = {
      id: `g${this.nextGrant++}`,
      clientId,
      userId,
      scopes,
      permission: app.permission,
      createdAtMs: this.now(),
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    return grant;
  }

  issueTokens(grant: Grant): { access: Token; refresh: Token | null } {
    const now = this.now();
    const make = (kind: "access" | "refresh", ttl: number): Token => {
      const token: Token = {
        value: newOpaque(kind === "access" ? "at" : "rt", now),
        kind,
        grantId: grant.id,
        issuedAtMs: now,
        expiresAtMs: now + ttl * 1000,
        rotated: false,
        revoked: false,
      };
      this.tokens.set(token.value, token);
      return token;
    };
    const access = make("access", this.switches.accessTokenTtlSeconds);
    const refresh = grant.scopes.includes("offline.access") ? make("refresh", this.switches.refreshTokenTtlSeconds) : null;
    return { access, refresh };
  }

  /** A usable token of this kind with its live grant and app, or null. */
  liveToken(value: string, kind: Token["kind"]) {
    const token = this.tokens.get(value);
    if (!token || token.kind !== kind || token.revoked || token.rotated) return null;
    if (this.now() >= token.expiresAtMs) return null;
    const grant = this.grants.get(token.grantId);
    if (!grant || grant.revoked) return null;
    const app = this.apps.get(grant.clientId);
    const user = this.users.find((u) => u.id === grant.userId);
    if (!app || !user) return null;
    return { token, grant, app, user };
  }

  revokeGrant(grantId: string) {
    const grant = this.grants.get(grantId);
    if (grant) grant.revoked = true;
  }

  revokeGrants(match: (grant: Grant) => boolean): number {
    let count = 0;
    for (const grant of this.grants.values()) {
      if (!grant.revoked && match(grant)) {
        grant.revoked = true;
        count++;
      }
    }
    return count;
  }

  grantSummaries(filter: { clientId?: string; userId?: string } = {}): GrantSummary[] {
    return [...this.grants.values()]
      .filter((g) => (!filter.clientId || g.clientId === filter.clientId) && (!filter.userId || g.userId === filter.userId))
      .map((g) => ({
        id: g.id,
        clientId: g.clientId,
        userId: g.userId,
        scopes: g.scopes,
        permission: g.permission,
        createdAt: new Date(g.createdAtMs).toISOString(),
        revoked: g.revoked,
      }));
  }

  newConsent(consent: Omit<PendingConsent, "expiresAtMs">, nonce: string) {
    this.consents.set(nonce, { ...consent, expiresAtMs: this.now() + CONSENT_TTL_MS });
  }

  // ---- rate limits: fixed windows that start at the first request, on the emulator clock

  /** Counts one request against the window; `allowed` is false (and nothing is counted) at zero. */
  take(key: string, limit: RateLimit): WindowState & { allowed: boolean } {
    const window = this.window(key, limit);
    if (window.remaining <= 0) return { ...this.view(window, limit), allowed: false };
    window.remaining--;
    return { ...this.view(window, limit), allowed: true };
  }

  peek(key: string, limit: RateLimit): WindowState {
    return this.view(this.window(key, limit), limit);
  }

  private window(key: string, limit: RateLimit) {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now >= window.resetAtMs) {
      window = { resetAtMs: now + limit.windowSeconds * 1000, remaining: limit.limit };
      this.windows.set(key, window);
    }
    return window;
  }

  private view(window: { resetAtMs: number; remaining: number }, limit: RateLimit): WindowState {
    return { limit: limit.limit, remaining: Math.max(0, window.remaining), resetSec: Math.ceil(window.resetAtMs / 1000) };
  }

  // ---- request log

  logRequest(entry: Omit<RequestLogEntry, "id" | "at">): RequestLogEntry {
    const full: RequestLogEntry = { id: this.nextLogId++, at: new Date(this.now()).toISOString(), ...entry };
    this.requests.push(full);
    if (this.requests.length > MAX_LOG) this.requests.splice(0, this.requests.length - MAX_LOG);
    return full;
  }
}
