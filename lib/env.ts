// The only reader of process.env. Validated with zod on first import; a bad value stops start-up
// with a message naming the variable. For a local start with nothing configured, the auth secret
// and the encryption key ring are generated once into a file under the data directory.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_DATA_DIR, databaseKind, databaseUrlFrom } from "./database-url";
import { parseTrustedProxies, type ProxyTrust } from "./request-ip";

export class ConfigError extends Error {
  override name = "ConfigError";
}

const httpUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        return ["http:", "https:"].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `${name} must be an absolute http(s) URL`);

const usd = (name: string) => z.string().trim().regex(/^\d+(\.\d{1,6})?$/, `${name} must be a price in USD such as 0.015`);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Defaults to keyport.db in KEYPORT_DATA_DIR: filled in by databaseUrlFrom before parsing.
  DATABASE_URL: z
    .string()
    .trim()
    .refine(
      (v) => /^file:.+/i.test(v) || /^postgres(ql)?:\/\/.+/i.test(v),
      "DATABASE_URL must be a SQLite file URL (file:./data/keyport.db) or a postgres:// URL",
    ),
  KEYPORT_PUBLIC_URL: httpUrl("KEYPORT_PUBLIC_URL").default("http://127.0.0.1:3000"),
  KEYPORT_DATA_DIR: z.string().trim().min(1).default(DEFAULT_DATA_DIR),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  KEYPORT_ENCRYPTION_KEYS: z
    .string()
    .regex(
      /^[a-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{43,44}(,[a-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{43,44})*$/,
      "KEYPORT_ENCRYPTION_KEYS must be id:base64key[,id:base64key…] with 32-byte keys, current key first",
    )
    .optional(),
  X_AUTHORIZE_URL: httpUrl("X_AUTHORIZE_URL").default("https://x.com/i/oauth2/authorize"),
  X_API_BASE_URL: httpUrl("X_API_BASE_URL").default("https://api.x.com"),
  X_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/.+/i, "REDIS_URL must be a redis:// or rediss:// URL")
    .optional(),
  // Requests per minute each API key may make to /api/v1.
  KEYPORT_API_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(120),
  // X's prices in USD (contract §8), for the cost figures Keyport shows; X's documented defaults.
  KEYPORT_PRICE_USER_READ: usd("KEYPORT_PRICE_USER_READ").default("0.010"),
  KEYPORT_PRICE_POST: usd("KEYPORT_PRICE_POST").default("0.015"),
  KEYPORT_PRICE_POST_URL: usd("KEYPORT_PRICE_POST_URL").default("0.200"),
  // --- Publishing and quotas (issue 9 §2–§4) ---
  // Warn about an X rate-limit window (app or account) when less than this share of it is left.
  KEYPORT_QUOTA_WARN_PERCENT: z.coerce.number().min(0).max(100).default(10),
  KEYPORT_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, ctx): ProxyTrust => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          message: `KEYPORT_TRUSTED_PROXIES must be a number of proxy hops or a comma-separated list of addresses/CIDR ranges: ${(error as Error).message}`,
        });
        return z.NEVER;
      }
    }),
  // Token refresh failures (lib/connections/tokens.ts): an account whose refreshes keep failing
  // transiently (X 5xx, timeouts, lost replies) becomes DEGRADED — never NEEDS_RECONNECT — only
  // after this many consecutive failures spanning at least this many hours.
  KEYPORT_DEGRADED_AFTER_FAILURES: z.coerce.number().int().min(1, "KEYPORT_DEGRADED_AFTER_FAILURES must be a whole number from 1 to 1000").max(1000, "KEYPORT_DEGRADED_AFTER_FAILURES must be a whole number from 1 to 1000").default(3),
  KEYPORT_DEGRADED_AFTER_HOURS: z.coerce.number().min(0, "KEYPORT_DEGRADED_AFTER_HOURS must be a number of hours from 0 to 720").max(720, "KEYPORT_DEGRADED_AFTER_HOURS must be a number of hours from 0 to 720").default(24),
  // Notifications (lib/notify). Email is off unless SMTP_URL is set.
  SMTP_URL: z
    .string()
    .trim()
    .refine((v) => /^smtps?:\/\/[^/?#\s]+/i.test(v), "SMTP_URL must be an smtp:// or smtps:// URL, such as smtps://user:pass@mail.example.com:465")
    .optional(),
  KEYPORT_EMAIL_FROM: z.string().trim().min(3, "KEYPORT_EMAIL_FROM must be an address such as Keyport <keyport@example.com>").default("Keyport <keyport@localhost>"),
  KEYPORT_DIGEST_HOUR: z.coerce.number().int().min(0, "KEYPORT_DIGEST_HOUR must be an hour from 0 to 23 (UTC)").max(23, "KEYPORT_DIGEST_HOUR must be an hour from 0 to 23 (UTC)").default(8),
  KEYPORT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(10_000),
  // Lets webhooks reach loopback and private networks: for tests and closed installations only.
  KEYPORT_ALLOW_PRIVATE_WEBHOOKS: z
    .enum(["true", "false"], { message: "KEYPORT_ALLOW_PRIVATE_WEBHOOKS must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
  // Instance X app (operator's own app, the lowest tier: brand override → workspace default →
  // this). Both or neither; shown in the dashboard by its Client ID's first six characters only,
  // never editable there, and the secret never leaves the server.
  KEYPORT_X_CLIENT_ID: z.string().trim().regex(/^[A-Za-z0-9_-]{10,100}$/, "KEYPORT_X_CLIENT_ID must be an OAuth 2.0 Client ID ([A-Za-z0-9_-], about 34 characters)").optional(),
  KEYPORT_X_CLIENT_SECRET: z.string().trim().regex(/^[A-Za-z0-9_-]{10,200}$/, "KEYPORT_X_CLIENT_SECRET must be an OAuth 2.0 Client Secret ([A-Za-z0-9_-], about 50 characters)").optional(),
  // Background worker and health sweep (lib/jobs, lib/connections/sweep.ts); see the README.
  // The worker runs inside `npm start` unless KEYPORT_WORKER=off; one pass every interval.
  KEYPORT_WORKER: z.enum(["on", "off"], { message: "KEYPORT_WORKER must be on or off" }).default("on"),
  KEYPORT_WORKER_INTERVAL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(60_000),
  // Prove every grant alive at least this often with an unbilled token refresh.
  KEYPORT_SWEEP_PROOF_HOURS: z.coerce.number().min(1).max(24 * 90).default(24),
  // The billed profile read (users/me) this often; 0 turns it off.
  KEYPORT_SWEEP_PROFILE_DAYS: z.coerce.number().min(0).max(365).default(7),
  // Concurrent X calls per X app, and for the whole process.
  KEYPORT_SWEEP_APP_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  KEYPORT_SWEEP_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  // Accounts claimed at a time, and how long a claim lasts if its worker dies (default: long
  // enough for the batch's X calls at X_TIMEOUT_MS each).
  KEYPORT_SWEEP_BATCH: z.coerce.number().int().min(1).max(5_000).default(64),
  KEYPORT_SWEEP_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).optional(),
}).refine((v) => Boolean(v.KEYPORT_X_CLIENT_ID) === Boolean(v.KEYPORT_X_CLIENT_SECRET), {
  path: ["KEYPORT_X_CLIENT_SECRET"],
  message: "KEYPORT_X_CLIENT_ID and KEYPORT_X_CLIENT_SECRET must be set together (the instance X app), or neither",
});

export type Env = z.infer<typeof schema> & {
  AUTH_SECRET: string;
  KEYPORT_ENCRYPTION_KEYS: string;
  databaseKind: "sqlite" | "postgres";
  /** True when X_* point anywhere but X itself: every page then shows the sandbox banner. */
  xSandbox: boolean;
  secretsFile: string | null;
  /** KEYPORT_PUBLIC_URL exactly as configured (KEYPORT_PUBLIC_URL itself has no trailing slash). */
  publicUrlAsConfigured: string;
};

const X_HOSTS = new Set(["x.com", "api.x.com", "twitter.com", "api.twitter.com"]);

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const raw = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = schema.safeParse({ ...raw, DATABASE_URL: databaseUrlFrom(raw) });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "env"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const value = parsed.data;
  const kind = databaseKind(value.DATABASE_URL);
  let secretsFile: string | null = null;
  let authSecret = value.AUTH_SECRET;
  let keys = value.KEYPORT_ENCRYPTION_KEYS;
  if (!authSecret || !keys) {
    if (value.NODE_ENV === "production" && kind === "postgres") {
      const missing = [!authSecret && "AUTH_SECRET", !keys && "KEYPORT_ENCRYPTION_KEYS"].filter(Boolean);
      throw new ConfigError(
        `Invalid configuration:\n  ${missing.join(", ")}: required in production (NODE_ENV=production with PostgreSQL); they are only generated for a local SQLite start`,
      );
    }
    secretsFile = path.resolve(value.KEYPORT_DATA_DIR, "secrets.json");
    const local = readOrCreateLocalSecrets(secretsFile);
    authSecret ??= local.authSecret;
    keys ??= local.encryptionKeys;
  }
  const xSandbox = [value.X_AUTHORIZE_URL, value.X_API_BASE_URL].some(
    (u) => !X_HOSTS.has(new URL(u).hostname),
  );
  return {
    ...value,
    KEYPORT_PUBLIC_URL: value.KEYPORT_PUBLIC_URL.replace(/\/+$/, "") || value.KEYPORT_PUBLIC_URL,
    AUTH_SECRET: authSecret,
    KEYPORT_ENCRYPTION_KEYS: keys,
    databaseKind: kind,
    xSandbox,
    secretsFile,
    publicUrlAsConfigured: value.KEYPORT_PUBLIC_URL,
  };
}

type LocalSecrets = { authSecret: string; encryptionKeys: string };

function readOrCreateLocalSecrets(file: string): LocalSecrets {
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
    if (typeof stored.authSecret !== "string" || typeof stored.encryptionKeys !== "string") {
      throw new ConfigError(`${file} is damaged: it must hold authSecret and encryptionKeys`);
    }
    return stored as LocalSecrets;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secrets: LocalSecrets = {
    authSecret: randomBytes(32).toString("base64url"),
    encryptionKeys: `k${new Date().toISOString().slice(0, 10).replace(/-/g, "")}:${randomBytes(32).toString("base64")}`,
  };
  // "wx": if another process won the race, read its file instead of overwriting it.
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readOrCreateLocalSecrets(file);
    throw error;
  }
  chmodSync(file, 0o600);
  console.warn(
    `[keyport] Generated local secrets in ${file} (owner-only). Back this file up: ` +
      "without it stored X credentials cannot be decrypted and every session ends.",
  );
  return secrets;
}

export const env: Env = loadEnv();
