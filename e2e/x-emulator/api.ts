// GET /2/users/me and POST /2/tweets with user-context bearer tokens, contract §6: 401 for a dead
// token, 403 client-not-enrolled, 403 for a missing scope, 429 with rate-limit headers per app.
// Only a successful answer is billed (contract §8), just before it is returned.
import { bearerToken, json, problem, type Ctx, type Reply } from "./http";
import { snowflake } from "./ids";
import { containsUrl } from "./links";
import type { WindowState } from "./rate-limits";
import type { EmulatorState } from "./state";
import type { AppPermission, EmulatorApp, EmulatorUser, RateLimit } from "./types";

export const PROBLEMS = {
  unauthorized: { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" },
  forbidden: { title: "Forbidden", type: "about:blank", status: 403, detail: "Forbidden" },
  tooMany: { title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 },
  duplicate: { detail: "You are not allowed to create a Tweet with duplicate content.", type: "about:blank", title: "Forbidden", status: 403 },
};

export function notEnrolledProblem(clientId: string) {
  return {
    client_id: clientId,
    detail:
      "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.",
    registration_url: "https://developer.twitter.com/en/docs/projects/overview",
    title: "Client Forbidden",
    required_enrollment: "Appropriate Level of API Access",
    reason: "client-not-enrolled",
    type: "https://api.twitter.com/2/problems/client-forbidden",
  };
}

const USER_FIELDS = [
  "affiliation", "confirmed_email", "connection_status", "created_at", "description", "entities", "id",
  "is_identity_verified", "location", "most_recent_tweet_id", "name", "parody", "pinned_tweet_id",
  "profile_banner_url", "profile_image_url", "protected", "public_metrics", "receives_your_dm", "subscription",
  "subscription_type", "url", "username", "verified", "verified_followers_count", "verified_type", "withheld",
];
const TWEET_KEYS = [
  "text", "reply", "quote_tweet_id", "media", "poll", "reply_settings", "for_super_followers_only",
  "direct_message_deep_link", "geo", "card_uri", "community_id", "nullcast", "share_with_followers", "made_with_ai", "paid_partnership",
];
const ACCESS_LEVEL: Record<AppPermission, string> = { read: "read", "read-write": "read-write", "read-write-dm": "read-write-directmessages" };

export function getUsersMe(state: EmulatorState, ctx: Ctx): Reply {
  const caller = admit(state, ctx, {
    scopes: ["tweet.read", "users.read"],
    windows: (app, user) => [{ prefix: "x-rate-limit", key: `users-me:${app.clientId}:${user.id}`, limit: app.rateLimits.usersMe }],
  });
  if (!caller.ok) return caller.reply;
  const { app, user, headers } = caller;
  const requested = (ctx.query.get("user.fields") ?? "").split(",").map((f) => f.trim()).filter(Boolean);
  const unknown = requested.filter((f) => !USER_FIELDS.includes(f));
  if (unknown.length) {
    return invalidRequest([{ parameters: { "user.fields": unknown }, message: `The \`user.fields\` query parameter value [${unknown[0]}] is not one of [${USER_FIELDS.join(",")}]` }], headers);
  }
  // One resource returned: the user. Reading it again within 24 hours is not billed again.
  ctx.note.billing = state.billing.record(app.clientId, "userRead", [`user:${user.id}`]);
  return json(200, { data: userData(user, requested) }, headers);
}

export function postTweets(state: EmulatorState, ctx: Ctx): Reply {
  const caller = admit(state, ctx, {
    scopes: ["tweet.read", "tweet.write", "users.read"],
    permissions: ["read-write", "read-write-dm"],
    windows: (app, user) => [
      { prefix: "x-rate-limit", key: `tweets:${app.clientId}:${user.id}`, limit: app.rateLimits.tweets },
      { prefix: "x-user-limit-24hour", key: `tweets-24h:${app.clientId}:${user.id}`, limit: app.rateLimits.tweetsUser24h },
      { prefix: "x-app-limit-24hour", key: `tweets-24h:${app.clientId}`, limit: app.rateLimits.tweetsApp24h },
    ],
  });
  if (!caller.ok) return caller.reply;
  const { app, user, headers } = caller;

  // X reads only JSON: a form-encoded (or untyped) body is refused before it is looked at.
  if (ctx.rawBody.trim() && !/^application\/json\s*(;|$)/i.test(ctx.contentType.trim())) {
    return invalidRequest([{ parameters: {}, message: "Requests with bodies must have content-type of application/json." }], headers);
  }
  if (ctx.bodyInvalid || !ctx.body) return invalidRequest([{ parameters: {}, message: "Request payload is not valid JSON" }], headers);
  const body = ctx.body;
  const extra = Object.keys(body).find((k) => !TWEET_KEYS.includes(k));
  if (extra) return invalidRequest([{ message: `$.${extra}: is not defined in the schema and the schema does not allow additional properties` }], headers);
  if (body.text !== undefined && typeof body.text !== "string") {
    return invalidRequest([{ message: `$.text: ${Array.isArray(body.text) ? "array" : typeof body.text} found, string expected` }], headers);
  }
  const text = (body.text as string | undefined) ?? "";
  if (!text.trim() && !body.media && !body.poll && !body.quote_tweet_id) {
    return invalidRequest([{ message: "Your request must include at least one of text, media, poll or quote_tweet_id." }], headers);
  }
  if (text && state.tweets.some((t) => t.userId === user.id && t.text === text)) return problem(403, PROBLEMS.duplicate, headers);

  const id = snowflake(state.now());
  state.tweets.push({ id, text, userId: user.id, clientId: app.clientId, createdAt: new Date(state.now()).toISOString() });
  ctx.note.billing = state.billing.record(app.clientId, containsUrl(text) ? "contentCreateWithUrl" : "contentCreate");
  return json(201, { data: { id, text, edit_history_tweet_ids: [id] } }, headers);
}

type Window = { prefix: string; key: string; limit: RateLimit };
type Endpoint = { scopes: string[]; permissions?: AppPermission[]; windows: (app: EmulatorApp, user: EmulatorUser) => Window[] };
type Caller = { ok: true; app: EmulatorApp; user: EmulatorUser; headers: Record<string, string> } | { ok: false; reply: Reply };

/**
 * Bearer token (401), enrollment (403 client-not-enrolled), scopes and consented permission (403),
 * then the rate-limit windows (429 when any is at zero; otherwise each counts one). Every answer
 * after the token check carries the rate-limit headers.
 */
function admit(state: EmulatorState, ctx: Ctx, endpoint: Endpoint): Caller {
  const value = bearerToken(ctx);
  const live = value ? state.liveToken(value, "access") : null;
  if (!live) return { ok: false, reply: problem(401, PROBLEMS.unauthorized) };
  const { app, grant, user } = live;
  ctx.note.clientId = app.clientId;
  const headers: Record<string, string> = {};
  if (state.switches.accessLevelHeader) headers["x-access-level"] = ACCESS_LEVEL[grant.permission];
  const windows = endpoint.windows(app, user);
  const peeked = windows.map((w) => state.windows.peek(w.key, w.limit));
  const withPeeked = () => Object.assign(headers, ...windows.map((w, i) => windowHeaders(w.prefix, peeked[i]!)));

  if (!app.enrolled) return { ok: false, reply: problem(403, notEnrolledProblem(app.clientId), withPeeked()) };
  // Rights were fixed at consent: a later permission change needs a new authorization.
  const scoped = endpoint.scopes.every((s) => grant.scopes.includes(s)) && (!endpoint.permissions || endpoint.permissions.includes(grant.permission));
  if (!scoped) return { ok: false, reply: problem(403, PROBLEMS.forbidden, withPeeked()) };
  if (peeked.some((w) => w.remaining <= 0)) return { ok: false, reply: problem(429, PROBLEMS.tooMany, withPeeked()) };
  for (const w of windows) Object.assign(headers, windowHeaders(w.prefix, state.windows.take(w.key, w.limit)));
  return { ok: true, app, user, headers };
}

function userData(user: EmulatorUser, fields: string[]) {
  const data: Record<string, unknown> = { id: user.id, name: user.name, username: user.username };
  const available: Record<string, unknown> = {
    created_at: user.createdAt,
    description: user.description,
    profile_image_url: user.profileImageUrl,
    protected: user.protected,
    verified: user.verified,
    verified_type: user.verified ? "blue" : "none",
    public_metrics: { followers_count: 0, following_count: 0, tweet_count: 0, listed_count: 0, like_count: 0, media_count: 0 },
    url: "",
    entities: {},
  };
  for (const field of fields) if (field in available) data[field] = available[field];
  return data;
}

function windowHeaders(prefix: string, window: WindowState): Record<string, string> {
  return {
    [`${prefix}-limit`]: String(window.limit),
    [`${prefix}-remaining`]: String(window.remaining),
    [`${prefix}-reset`]: String(window.resetSec),
  };
}

function invalidRequest(errors: unknown[], headers: Record<string, string>): Reply {
  return problem(
    400,
    { errors, title: "Invalid Request", detail: "One or more parameters to your request was invalid.", type: "https://api.twitter.com/2/problems/invalid-request" },
    headers,
  );
}
