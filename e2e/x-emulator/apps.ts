// Developer apps as the portal would accept them: exact callback URLs (at most 10, no localhost,
// no dangerous schemes), a permission level, a type that decides whether there is a secret.
import { newClientId, newClientSecret } from "./ids";
import type { AppPermission, AppRateLimits, AppType, CreateAppInput, EmulatorApp, UpdateAppInput } from "./types";

export class ValidationError extends Error {
  override name = "ValidationError";
}

export const DEFAULT_RATE_LIMITS: AppRateLimits = {
  usersMe: { limit: 75, windowSeconds: 15 * 60 },
  tweets: { limit: 100, windowSeconds: 15 * 60 },
  tweetsUser24h: { limit: 2400, windowSeconds: 24 * 3600 },
  tweetsApp24h: { limit: 10_000, windowSeconds: 24 * 3600 },
};

// The portal's list is longer; these are the ones it is known to refuse.
const DISALLOWED_SCHEMES = new Set(["javascript", "data", "file", "ftp", "mailto", "telnet", "vbscript", "about", "blob", "view-source"]);
const PERMISSIONS: AppPermission[] = ["read", "read-write", "read-write-dm"];
const TYPES: AppType[] = ["confidential", "public"];
const MAX_CALLBACKS = 10;

export function buildApp(input: CreateAppInput): EmulatorApp {
  if (!input || typeof input !== "object") throw new ValidationError("app must be an object");
  const type = input.type ?? "confidential";
  if (!TYPES.includes(type)) throw new ValidationError(`type must be one of ${TYPES.join(", ")}`);
  if (input.clientId !== undefined && !/^[A-Za-z0-9_-]{8,100}$/.test(input.clientId)) {
    throw new ValidationError("clientId must be [A-Za-z0-9_-]");
  }
  if (input.clientSecret !== undefined && !/^[A-Za-z0-9_-]{8,100}$/.test(input.clientSecret)) {
    throw new ValidationError("clientSecret must be [A-Za-z0-9_-]");
  }
  const app: EmulatorApp = {
    clientId: input.clientId ?? newClientId(type),
    clientSecret: type === "public" ? null : (input.clientSecret ?? newClientSecret()),
    name: "",
    type,
    callbackUrls: [],
    permission: "read-write",
    enrolled: true,
    oauth2Enabled: true,
    rateLimits: structuredClone(DEFAULT_RATE_LIMITS),
  };
  return applyUpdate(app, { permission: "read-write", ...input, type });
}

/** Returns a new app with the patch applied; throws ValidationError on a bad field. */
export function applyUpdate(current: EmulatorApp, patch: UpdateAppInput): EmulatorApp {
  if (!patch || typeof patch !== "object") throw new ValidationError("patch must be an object");
  const next: EmulatorApp = structuredClone(current);
  if (patch.name !== undefined) {
    if (typeof patch.name !== "string" || !patch.name.trim() || patch.name.length > 32) {
      throw new ValidationError("name must be 1 to 32 characters");
    }
    next.name = patch.name.trim();
  }
  if (!next.name) throw new ValidationError("name is required");
  if (patch.type !== undefined && patch.type !== current.type) {
    if (!TYPES.includes(patch.type)) throw new ValidationError(`type must be one of ${TYPES.join(", ")}`);
    next.type = patch.type;
    next.clientSecret = patch.type === "public" ? null : newClientSecret();
  }
  if (patch.callbackUrls !== undefined) next.callbackUrls = validateCallbackUrls(patch.callbackUrls);
  if (patch.permission !== undefined) {
    if (!PERMISSIONS.includes(patch.permission)) throw new ValidationError(`permission must be one of ${PERMISSIONS.join(", ")}`);
    next.permission = patch.permission;
  }
  for (const flag of ["enrolled", "oauth2Enabled"] as const) {
    const value = patch[flag];
    if (value === undefined) continue;
    if (typeof value !== "boolean") throw new ValidationError(`${flag} must be a boolean`);
    next[flag] = value;
  }
  if (patch.rateLimits !== undefined) {
    for (const [key, limit] of Object.entries(patch.rateLimits)) {
      if (!(key in DEFAULT_RATE_LIMITS)) throw new ValidationError(`unknown rate limit ${key}`);
      if (!limit || !isPositiveInt(limit.limit) || !isPositiveInt(limit.windowSeconds)) {
        throw new ValidationError(`rateLimits.${key} needs a positive integer limit and windowSeconds`);
      }
      next.rateLimits[key as keyof AppRateLimits] = { limit: limit.limit, windowSeconds: limit.windowSeconds };
    }
  }
  return next;
}

export function validateCallbackUrls(urls: unknown): string[] {
  if (!Array.isArray(urls)) throw new ValidationError("callbackUrls must be an array");
  if (urls.length > MAX_CALLBACKS) throw new ValidationError(`at most ${MAX_CALLBACKS} callback URLs`);
  const seen = new Set<string>();
  for (const url of urls) {
    if (typeof url !== "string" || !url) throw new ValidationError("callback URLs must be strings");
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ValidationError(`${url} is not a valid URL`);
    }
    const scheme = parsed.protocol.replace(/:$/, "").toLowerCase();
    if (DISALLOWED_SCHEMES.has(scheme)) throw new ValidationError(`${url}: the ${scheme} scheme is not allowed`);
    // A trailing dot is the same name to DNS: http://localhost./cb is still localhost.
    const host = parsed.hostname.toLowerCase().replace(/\.$/, "");
    if (host === "localhost" || host.endsWith(".localhost")) {
      throw new ValidationError(`${url}: localhost is not allowed; use 127.0.0.1`);
    }
    if (url.includes("#")) throw new ValidationError(`${url}: a callback URL cannot have a fragment`);
    seen.add(url);
  }
  return [...seen];
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}
