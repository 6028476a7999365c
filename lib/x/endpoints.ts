// Where X lives. Production hosts by default; tests and the demo point these at the emulator.
import { env } from "../env";

export type XEndpoints = { authorizeUrl: string; apiBaseUrl: string; timeoutMs: number };

export function xEndpoints(): XEndpoints {
  return { authorizeUrl: env.X_AUTHORIZE_URL, apiBaseUrl: env.X_API_BASE_URL.replace(/\/+$/, ""), timeoutMs: env.X_TIMEOUT_MS };
}
