// Everything the emulator remembers: apps, users, grants with their tokens, codes, consent pages
// awaiting a click, rate-limit windows, tweets, switches, faults, the request log, the billing
// counters and its clock.
import { applyUpdate, buildApp, ValidationError } from "./apps";
import { Billing } from "./billing";
import { newClientSecret, newOpaque, snowflake } from "./ids";
import { RateWindows } from "./rate-limits";
import { mergeSwitches } from "./switches";
import type {
  AppPermission,
  CreateAppInput,
  CreateUserInput,
  EmulatorApp,
  EmulatorTweet,
  EmulatorUser,
  Fault,
  GrantSummary,
  RequestLogEntry,
  Seed,
  Switches,
  UpdateAppInput,
} from "./types";

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
  /** What will be granted: the requested scopes the app's permission allowed at consent. */
  scopes: string[];
  /** The app's permission when the user consented; the grant keeps it. */
  permission: AppPermission;
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

const CONSENT_TTL_MS = 15 * 60 * 1000;
const MAX_LOG = 2000;

export class EmulatorState {
  apps = new Map<string, EmulatorApp>();
  users: EmulatorUser[] = [];
  grants = new Map<string, Grant>();
  tokens = new Map<string, Token>();
  codes = new Map<string, Code>();
  consents = new Map<string, PendingConsent>();
  windows = new RateWindows(() => this.now());
  tweets: EmulatorTweet[] = [];
  faults: Fault[] = [];
  requests: RequestLogEntry[] = [];
  switches: Switches;
  readonly billing: Billing;
  signedInUser: string | null = null;
  /** Client secrets replaced or deleted since start: still scrubbed from the request log. */
  private readonly retiredSecrets = new Set<string>();
  private offsetMs = 0;
  private nextGrant = 1;
  private nextLogId = 1;

  constructor(
    private readonly seed: Seed,
    private readonly baseSwitches: Switches,
    readonly baseUrl: string,
  ) {
    this.switches = { ...baseSwitches };
    this.billing = new Billing(() => this.now(), seed.prices ?? {});
    this.reset();
  }

  /** Back to the seed, the start-up switches and prices, real time, and no costs. */
  reset() {
    for (const map of [this.apps, this.grants, this.tokens, this.codes, this.consents]) map.clear();
    this.windows.clear();
    this.users = [];
    this.tweets = [];
    this.faults = [];
    this.requests = [];
    this.switches = { ...this.baseSwitches };
    this.billing.reset();
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
    if (app.clientSecret && app.clientSecret !== next.clientSecret) this.retiredSecrets.add(app.clientSecret);
    this.apps.set(clientId, next);
    return next;
  }

  deleteApp(clientId: string) {
    const app = this.requireApp(clientId);
    if (app.clientSecret) this.retiredSecrets.add(app.clientSecret);
    this.apps.delete(clientId);
    this.revokeGrants((g) => g.clientId === clientId);
  }

  regenerateSecret(clientId: string): string {
    const app = this.requireApp(clientId);
    if (app.type === "public") throw new ValidationError("a public client has no secret");
    if (app.clientSecret) this.retiredSecrets.add(app.clientSecret);
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

  createGrant(clientId: string, userId: string, scopes: string[], permission: AppPermission): Grant {
    this.requireApp(clientId);
    const grant: Grant = {
      id: `g${this.nextGrant++}`,
      clientId,
      userId,
      scopes,
      permission,
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

  // ---- request log

  /** Every value that must never reach the request log: client secrets (old ones too), tokens, codes, consent nonces. */
  *knownSecrets(): Iterable<string> {
    for (const app of this.apps.values()) if (app.clientSecret) yield app.clientSecret;
    yield* this.retiredSecrets;
    yield* this.tokens.keys();
    yield* this.codes.keys();
    yield* this.consents.keys();
  }

  logRequest(entry: Omit<RequestLogEntry, "id" | "at">): RequestLogEntry {
    const full: RequestLogEntry = { id: this.nextLogId++, at: new Date(this.now()).toISOString(), ...entry };
    this.requests.push(full);
    if (this.requests.length > MAX_LOG) this.requests.splice(0, this.requests.length - MAX_LOG);
    return full;
  }
}
