// X API v2 calls made with a user's access token (contract §6).
import { classifyApiError, rateLimitReset, transientFromError, type ApiFailure } from "./errors";
import type { XEndpoints } from "./endpoints";
import { readRateWindows, type RateWindowHeaders } from "./tweets";

export type XProfile = { id: string; name: string; username: string; profileImageUrl: string | null; verified: boolean | null };
/** `windows`: the x-rate-limit-* X sent with the answer (on a 200 and a 429 alike; none without an answer). */
export type ApiOutcome<T> = { ok: true; value: T; accessLevel: string | null; windows: RateWindowHeaders[] } | { ok: false; failure: ApiFailure; windows: RateWindowHeaders[] };

export async function getMe(endpoints: XEndpoints, accessToken: string): Promise<ApiOutcome<XProfile>> {
  const url = `${endpoints.apiBaseUrl}/2/users/me?user.fields=profile_image_url,verified`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(endpoints.timeoutMs),
      cache: "no-store",
    });
  } catch (error) {
    return { ok: false, failure: transientFromError(error), windows: [] };
  }
  const windows = readRateWindows(response.headers, "users-me");
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.status !== 200) {
    const failure = classifyApiError(response.status, body);
    const retryAt = response.status === 429 ? rateLimitReset(response.headers) : undefined;
    return { ok: false, failure: failure.kind === "transient" && retryAt ? { ...failure, retryAt } : failure, windows };
  }
  const data = (body as { data?: Record<string, unknown> } | null)?.data;
  if (!data || typeof data.id !== "string" || typeof data.username !== "string" || typeof data.name !== "string") {
    return { ok: false, failure: { kind: "transient", reason: "unexpected", status: 200 }, windows };
  }
  return {
    ok: true,
    windows,
    accessLevel: response.headers.get("x-access-level"),
    value: {
      id: data.id,
      name: data.name,
      username: data.username,
      profileImageUrl: typeof data.profile_image_url === "string" ? data.profile_image_url : null,
      verified: typeof data.verified === "boolean" ? data.verified : null,
    },
  };
}
