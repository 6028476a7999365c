// GET /2/users/me and POST /2/tweets with user-context bearer tokens, contract §6: 401 for a dead
// token, 403 client-not-enrolled, 403 for a missing scope, 429 with rate-limit headers per app.
import { bearerToken, json, problem, type Ctx, type Reply } from "./http";
import { snowflake } from "./ids";
import type { EmulatorState, WindowState } from "./state";
import type { AppPermission, EmulatorApp, EmulatorUser } from "./types";

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
  const caller = authenticate(state, ctx, ["tweet.read", "users.read"]);
  if (!caller.ok) return caller.reply;
  const { app, user, headers } = caller;
  const window = state.take(`users-me:${app.clientId}:${user.id}`, app.rateLimits.usersMe);
  Object.assign(headers, windowHeaders("x-rate-limit", window));
  if (!window.allowed) return problem(429, PROBLEMS.tooMany, headers);

  const requested = (ctx.query.get("user.fields") ?? "").split(",").map((f) => f.trim()).filter(Boolean);
  const unknown = requested.filter((f) => !USER_FIELDS.includes(f));
  if (unknown.length) {
    return invalidRequest([{ parameters: { "user.fields": unknown }, message: `The \`user.fields\` query parameter value [${unknown[0]}] is not one of [${USER_FIELDS.join(",")}]` }], headers);
  }
  return json(200, { data: userData(user, requested) }, headers);
}

export function postTweets(state: EmulatorState, ctx: Ctx): Reply {
  const caller = authenticate(state, ctx, ["tweet.read", "tweet.write", "users.read"], ["read-write", "read-write-dm"]);
  if (!caller.ok) return caller.reply;
  const { app, user, headers } = caller;
  const keys = { user: `tweets:${app.clientId}:${user.id}`, user24: `tweets-24h:${app.clientId}:${user.id}`, app24: `tweets-24h:${app.clientId}` };
  const peeked = [state.peek(keys.user, app.rateLimits.tweets), state.peek(keys.user24, app.rateLimits.tweetsUser24h), state.peek(keys.app24, app.rateLimits.tweetsApp24h)];
  const limited = peeked.some((w) => w.remaining <= 0);
  const [win, user24, app24] = limited
    ? peeked
    : [state.take(keys.user, app.rateLimits.tweets), state.take(keys.user24, app.rateLimits.tweetsUser24h), state.take(keys.app24, app.rateLimits.tweetsApp24h)];
  Object.assign(headers, windowHeaders("x-rate-limit", win!), windowHeaders("x-user-limit-24hour", user24!), windowHeaders("x-app-limit-24hour", app24!));
  if (limited) return problem(429, PROBLEMS.tooMany, headers);

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
  return json(201, { data: { id, text, edit_history_tweet_ids: [id] } }, headers);
}

type Caller = { ok: true; app: EmulatorApp; user: EmulatorUser; headers: Record<string, string> } | { ok: false; reply: Reply };

function authenticate(state: EmulatorState, ctx: Ctx, scopes: string[], permissions?: AppPermission[]): Caller {
  const value = bearerToken(ctx);
  const live = value ? state.liveToken(value, "access") : null;
  if (!live) return { ok: false, reply: problem(401, PROBLEMS.unauthorized) };
  const { app, grant, user } = live;
  ctx.note.clientId = app.clientId;
  const headers: Record<string, string> = {};
  if (state.switches.accessLevelHeader) headers["x-access-level"] = ACCESS_LEVEL[grant.permission];
  if (!app.enrolled) return { ok: false, reply: problem(403, notEnrolledProblem(app.clientId), headers) };
  // Rights were fixed at consent: a later permission change needs a new authorization.
  const scoped = scopes.every((s) => grant.scopes.includes(s)) && (!permissions || permissions.includes(grant.permission));
  if (!scoped) return { ok: false, reply: problem(403, PROBLEMS.forbidden, headers) };
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
