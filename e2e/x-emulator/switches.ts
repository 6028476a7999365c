// Switches model what X leaves undocumented (contract §1, §2, §4, §5); Keyport must work with each
// setting. The defaults are the emulator's best guess at X.
import { ValidationError } from "./apps";
import type { Switches } from "./types";

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
  scopesBeyondPermission: "grant-less",
};

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
    if (k === "scopesBeyondPermission" && !["grant-less", "refuse"].includes(value as string)) {
      throw new ValidationError("scopesBeyondPermission must be grant-less or refuse");
    }
    if (expected === "number" && !(Number.isFinite(value) && (value as number) > 0)) {
      throw new ValidationError(`switch ${key} must be a positive number`);
    }
    (next as Record<string, unknown>)[k] = value;
  }
  return next;
}

