import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ConfigError, loadEnv } from "./env";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "keyport-env-"));

describe("loadEnv", () => {
  it("starts with nothing configured: SQLite, 127.0.0.1, generated owner-only secrets that persist", () => {
    const dir = dataDir();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const first = loadEnv({ KEYPORT_DATA_DIR: dir });
    expect(first).toMatchObject({ DATABASE_URL: `file:${path.join(dir, "keyport.db")}`, databaseKind: "sqlite", KEYPORT_PUBLIC_URL: "http://127.0.0.1:3000", xSandbox: false });
    expect(Buffer.from(first.KEYPORT_ENCRYPTION_KEYS.split(":")[1]!, "base64")).toHaveLength(32);
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain(file);
    expect(String(warn.mock.calls[0]![0])).not.toContain(first.AUTH_SECRET);
    const second = loadEnv({ KEYPORT_DATA_DIR: dir });
    expect(second.AUTH_SECRET).toBe(first.AUTH_SECRET);
    expect(second.KEYPORT_ENCRYPTION_KEYS).toBe(first.KEYPORT_ENCRYPTION_KEYS);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.parse(readFileSync(file, "utf8")).authSecret).toBe(first.AUTH_SECRET);
    warn.mockRestore();
  });

  it("the instance X app needs both its Client ID and its Client Secret, and names only the variable when one is bad", () => {
    const base = { KEYPORT_DATA_DIR: dataDir(), AUTH_SECRET: "a".repeat(32), KEYPORT_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString("base64")}` };
    const id = "S2V5cG9ydFNhbmRib3gwZGVtbzE6MTpjaQ";
    const secret = "sandbox-DEMO-ONLY_not_a_real_X_secret-Kp4010x7Qw2Z";
    const none = loadEnv(base);
    expect([none.KEYPORT_X_CLIENT_ID, none.KEYPORT_X_CLIENT_SECRET]).toEqual([undefined, undefined]);
    expect(loadEnv({ ...base, KEYPORT_X_CLIENT_ID: id, KEYPORT_X_CLIENT_SECRET: secret })).toMatchObject({ KEYPORT_X_CLIENT_ID: id, KEYPORT_X_CLIENT_SECRET: secret });
    expect(() => loadEnv({ ...base, KEYPORT_X_CLIENT_ID: id })).toThrow(/KEYPORT_X_CLIENT_SECRET: KEYPORT_X_CLIENT_ID and KEYPORT_X_CLIENT_SECRET must be set together/);
    const bad = (() => {
      try {
        loadEnv({ ...base, KEYPORT_X_CLIENT_ID: id, KEYPORT_X_CLIENT_SECRET: "has spaces in it!" });
      } catch (error) {
        return error as Error;
      }
    })();
    expect(bad).toBeInstanceOf(ConfigError);
    expect(bad!.message).toContain("KEYPORT_X_CLIENT_SECRET must be");
    expect(bad!.message).not.toContain("has spaces");
  });

  it("keeps the SQLite file beside the secrets: KEYPORT_DATA_DIR moves both, DATABASE_URL wins", () => {
    const keys = { AUTH_SECRET: "s".repeat(40), KEYPORT_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}` };
    expect(loadEnv({ ...keys }).DATABASE_URL).toBe("file:./data/keyport.db");
    expect(loadEnv({ ...keys, KEYPORT_DATA_DIR: "data/demo" }).DATABASE_URL).toBe("file:./data/demo/keyport.db");
    expect(loadEnv({ ...keys, KEYPORT_DATA_DIR: "/srv/keyport", DATABASE_URL: "file:./mine.db" }).DATABASE_URL).toBe("file:./mine.db");
  });

  it("names the bad variable", () => {
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dataDir(), KEYPORT_PUBLIC_URL: "not a url" })).toThrow(/KEYPORT_PUBLIC_URL: KEYPORT_PUBLIC_URL must be an absolute http\(s\) URL/);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dataDir(), DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dataDir(), KEYPORT_ENCRYPTION_KEYS: "k1:short" })).toThrow(/KEYPORT_ENCRYPTION_KEYS/);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dataDir(), AUTH_SECRET: "short" })).toThrow(ConfigError);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dataDir(), REDIS_URL: "127.0.0.1:6379" })).toThrow(/REDIS_URL: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dataDir(), KEYPORT_API_RATE_LIMIT: "0" })).toThrow(/KEYPORT_API_RATE_LIMIT/);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dataDir(), KEYPORT_API_RATE_LIMIT: "lots" })).toThrow(/KEYPORT_API_RATE_LIMIT/);
  });

  it("API rate limit: 120 a minute per key unless configured", () => {
    expect(loadEnv({ KEYPORT_DATA_DIR: dataDir() }).KEYPORT_API_RATE_LIMIT).toBe(120);
    expect(loadEnv({ KEYPORT_DATA_DIR: dataDir(), KEYPORT_API_RATE_LIMIT: "600", REDIS_URL: "redis://127.0.0.1:6379/2" })).toMatchObject({ KEYPORT_API_RATE_LIMIT: 600, REDIS_URL: "redis://127.0.0.1:6379/2" });
  });

  it("refuses to generate secrets in production on PostgreSQL", () => {
    const run = () => loadEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://u@db/keyport", KEYPORT_DATA_DIR: dataDir() });
    expect(run).toThrow(/AUTH_SECRET, KEYPORT_ENCRYPTION_KEYS: required in production/);
    const keys = `k1:${Buffer.alloc(32, 7).toString("base64")}`;
    expect(loadEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://u@db/keyport", AUTH_SECRET: "s".repeat(40), KEYPORT_ENCRYPTION_KEYS: keys })).toMatchObject({
      databaseKind: "postgres",
      secretsFile: null,
    });
  });

  it("flags a sandbox when X hosts point elsewhere and trims a trailing slash off the public URL", () => {
    const env = loadEnv({ KEYPORT_DATA_DIR: dataDir(), X_API_BASE_URL: "http://127.0.0.1:4010", KEYPORT_PUBLIC_URL: "https://keyport.agency.com/" });
    expect(env.xSandbox).toBe(true);
    expect(env.KEYPORT_PUBLIC_URL).toBe("https://keyport.agency.com");
  });

  it("KEYPORT_TRUSTED_PROXIES: nobody by default, a hop count or address ranges; anything else is refused by name", () => {
    const dir = dataDir();
    expect(loadEnv({ KEYPORT_DATA_DIR: dir }).KEYPORT_TRUSTED_PROXIES).toEqual({ kind: "none" });
    expect(loadEnv({ KEYPORT_DATA_DIR: dir, KEYPORT_TRUSTED_PROXIES: "1" }).KEYPORT_TRUSTED_PROXIES).toEqual({ kind: "hops", hops: 1 });
    expect(loadEnv({ KEYPORT_DATA_DIR: dir, KEYPORT_TRUSTED_PROXIES: "10.0.0.0/8,::1" }).KEYPORT_TRUSTED_PROXIES).toMatchObject({ kind: "ranges" });
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dir, KEYPORT_TRUSTED_PROXIES: "10.0.0.0/40" })).toThrow(
      /KEYPORT_TRUSTED_PROXIES: .*"10\.0\.0\.0\/40" is not an IPv4 or IPv6 address or CIDR range/,
    );
  });

  it("leaves email off and webhooks public-only by default, and names a bad notification setting without echoing it", () => {
    const dir = dataDir();
    const defaults = loadEnv({ KEYPORT_DATA_DIR: dir });
    expect(defaults.SMTP_URL).toBeUndefined();
    expect(defaults).toMatchObject({ KEYPORT_ALLOW_PRIVATE_WEBHOOKS: false, KEYPORT_DIGEST_HOUR: 8, KEYPORT_WEBHOOK_TIMEOUT_MS: 10_000 });
    expect(loadEnv({ KEYPORT_DATA_DIR: dir, SMTP_URL: "smtps://u:p@mail.example.com:465", KEYPORT_ALLOW_PRIVATE_WEBHOOKS: "true" })).toMatchObject({
      SMTP_URL: "smtps://u:p@mail.example.com:465",
      KEYPORT_ALLOW_PRIVATE_WEBHOOKS: true,
    });
    const bad = () => loadEnv({ KEYPORT_DATA_DIR: dir, SMTP_URL: "mail.example.com with-a-Secret-pw" });
    expect(bad).toThrow(/SMTP_URL: SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(bad).not.toThrow(/Secret-pw/);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dir, KEYPORT_ALLOW_PRIVATE_WEBHOOKS: "yes" })).toThrow(/KEYPORT_ALLOW_PRIVATE_WEBHOOKS must be true or false/);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dir, KEYPORT_DIGEST_HOUR: "24" })).toThrow(/KEYPORT_DIGEST_HOUR/);
  });
  it("refresh failures: DEGRADED after 3 failures spanning 24 hours by default; bad values are refused by name", () => {
    const dir = dataDir();
    expect(loadEnv({ KEYPORT_DATA_DIR: dir })).toMatchObject({ KEYPORT_DEGRADED_AFTER_FAILURES: 3, KEYPORT_DEGRADED_AFTER_HOURS: 24 });
    expect(loadEnv({ KEYPORT_DATA_DIR: dir, KEYPORT_DEGRADED_AFTER_FAILURES: "10", KEYPORT_DEGRADED_AFTER_HOURS: "0.5" })).toMatchObject({
      KEYPORT_DEGRADED_AFTER_FAILURES: 10,
      KEYPORT_DEGRADED_AFTER_HOURS: 0.5,
    });
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dir, KEYPORT_DEGRADED_AFTER_FAILURES: "0" })).toThrow(/KEYPORT_DEGRADED_AFTER_FAILURES: KEYPORT_DEGRADED_AFTER_FAILURES must be a whole number/);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dir, KEYPORT_DEGRADED_AFTER_FAILURES: "2.5" })).toThrow(/KEYPORT_DEGRADED_AFTER_FAILURES/);
    expect(() => loadEnv({ KEYPORT_DATA_DIR: dir, KEYPORT_DEGRADED_AFTER_HOURS: "-1" })).toThrow(/KEYPORT_DEGRADED_AFTER_HOURS: KEYPORT_DEGRADED_AFTER_HOURS must be a number of hours/);
  });
});
