// Shapes shared by the emulator server and its control client. Types only, so a Playwright spec
// or an integration test can import the client without pulling in the server.

export type AppType = "confidential" | "public";
export type AppPermission = "read" | "read-write" | "read-write-dm";

export type RateLimit = { limit: number; windowSeconds: number };
export type AppRateLimits = {
  /** GET /2/users/me, per user of the app. */
  usersMe: RateLimit;
  /** POST /2/tweets, per user of the app (the x-rate-limit-* window). */
  tweets: RateLimit;
  /** POST /2/tweets, per user of the app over a day (x-user-limit-24hour-*). */
  tweetsUser24h: RateLimit;
  /** POST /2/tweets, the whole app over a day (x-app-limit-24hour-*). */
  tweetsApp24h: RateLimit;
};

export type EmulatorApp = {
  clientId: string;
  /** null for a public client. */
  clientSecret: string | null;
  name: string;
  type: AppType;
  callbackUrls: string[];
  permission: AppPermission;
  /** Attached to a Project with API access; when false every API call is 403 client-not-enrolled. */
  enrolled: boolean;
  /** OAuth 2.0 set up in the portal; when false authorize shows "Something went wrong". */
  oauth2Enabled: boolean;
  rateLimits: AppRateLimits;
};

export type CreateAppInput = {
  name: string;
  type?: AppType;
  callbackUrls: string[];
  permission?: AppPermission;
  enrolled?: boolean;
  oauth2Enabled?: boolean;
  rateLimits?: Partial<AppRateLimits>;
  /** Fixed credentials (seeds); generated when absent. */
  clientId?: string;
  clientSecret?: string;
};

export type UpdateAppInput = Partial<Omit<CreateAppInput, "clientId" | "clientSecret">>;

export type EmulatorUser = {
  id: string;
  name: string;
  username: string;
  profileImageUrl: string;
  verified: boolean;
  description: string;
  createdAt: string;
  protected: boolean;
};

export type CreateUserInput = Partial<Omit<EmulatorUser, "name" | "username">> & { name: string; username: string };

export type Seed = {
  apps: CreateAppInput[];
  users: CreateUserInput[];
  /** Start-up prices (partial; the rest keep X's documented defaults). */
  prices?: PricesPatch;
};

export type Switches = {
  /** The `error` for an unknown client_id at the token/revoke endpoints. */
  unknownClientError: "unauthorized_client" | "invalid_client";
  /** Regenerating a client secret also revokes every grant (and token) of the app. */
  secretRegenRevokesGrants: boolean;
  /** Presenting an already-rotated refresh token revokes the whole grant. */
  reuseRevokesFamily: boolean;
  /** The token endpoint requires client_id in the body even with valid Basic auth. */
  requireClientIdInBody: boolean;
  /** Revoking either token of a grant ends the whole grant (else only that token). */
  revokeEndsGrant: boolean;
  /** Cancel on the consent page: `access_denied` adds error=access_denied; `bare` sends only state. */
  cancelRedirect: "access_denied" | "bare";
  codeTtlSeconds: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Send x-access-level on API responses. */
  accessLevelHeader: boolean;
  /**
   * Authorize asks for scopes the app's permission does not allow (dm.* on a Read and write app):
   * `grant-less` grants only the allowed ones; `refuse` shows "Something went wrong", no redirect.
   */
  scopesBeyondPermission: "grant-less" | "refuse";
};

export type GrantSummary = {
  id: string;
  clientId: string;
  userId: string;
  scopes: string[];
  /** The app's permission when the user consented; later permission changes don't alter it. */
  permission: AppPermission;
  createdAt: string;
  revoked: boolean;
};

export type FaultInput = {
  method?: string;
  /** Exact path, e.g. /2/oauth2/token. */
  path: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Perform the operation, then destroy the socket without answering. */
  loseReply?: boolean;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
};

export type Fault = FaultInput & { id: string; hits: number };

export type RequestLogEntry = {
  id: number;
  /** Emulator clock, ISO 8601. */
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed form or JSON body with secrets redacted (null when there was none). */
  params: Record<string, unknown> | null;
  /** "Basic [redacted]" / "Bearer [redacted]" when an Authorization header was sent. */
  authorization: string | null;
  /** Client id seen via Basic auth, body, query or the bearer token's grant. */
  clientId: string | null;
  grantType: string | null;
  status: number | null;
  /** Redirect target with code redacted. */
  location: string | null;
  fault: { id: string; kind: "status" | "delay" | "lose-reply" } | null;
  /** What the call was billed (null for unbilled endpoints and failed calls). */
  billing: { category: BillingCategory; billedUnits: number; cost: Money } | null;
};

export type RequestFilter = { method?: string; path?: string; clientId?: string };

export type AuthorizeDirectInput = {
  clientId: string;
  redirectUri: string;
  scope: string | string[];
  state: string;
  codeChallenge: string;
  method?: string;
  userId?: string;
  deny?: boolean;
};

export type AuthorizeDirectResult = {
  location: string;
  code: string | null;
  state: string | null;
  error: string | null;
};

export type EmulatorTweet = { id: string; text: string; userId: string; clientId: string; createdAt: string };

// ---- pay-per-use billing (contract §8)

/** "User: Read" (per resource), "Content: Create" and "Content: Create with a URL" (per request). */
export type BillingCategory = "userRead" | "contentCreate" | "contentCreateWithUrl";

/** An exact amount: integer micro-dollars, and the same as a USD number for reading. */
export type Money = { microUsd: number; usd: number };

export type Price = Money & { label: string; per: "resource" | "request" };
export type Prices = Record<BillingCategory, Price>;

/** A price as micro-dollars (integer) or USD (at most six decimals). */
export type PriceInput = { microUsd: number } | { usd: number };
export type PricesPatch = Partial<Record<BillingCategory, PriceInput>>;

export type CategoryCosts = {
  label: string;
  /** Successful calls in this category, billed or de-duplicated. */
  calls: number;
  /** Units billed: resources for reads (after the 24-hour de-duplication), requests for writes. */
  billedUnits: number;
  /** At the prices in force when each call was made. */
  cost: Money;
};

export type CostTotals = { calls: number; billedUnits: number; cost: Money };

export type AppCosts = CostTotals & {
  clientId: string;
  /** null when the app has been deleted since. */
  name: string | null;
  categories: Record<BillingCategory, CategoryCosts>;
};

export type CostReport = { apps: AppCosts[]; total: CostTotals };
