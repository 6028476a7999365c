// The two pages a person sees on "x.com": X's dead end for a bad authorize request, and the
// consent page. Every interpolated value is escaped; the emulator banner says this is not X.
import { describeScope } from "./scopes";
import type { EmulatorApp, EmulatorUser } from "./types";

const STYLE = `
  body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f7f9f9;color:#0f1419}
  .banner{background:#fde68a;color:#713f12;padding:6px 12px;font-size:13px;text-align:center}
  main{max-width:560px;margin:40px auto;background:#fff;border:1px solid #cfd9de;border-radius:16px;padding:28px}
  h1{font-size:23px;margin:0 0 12px} h2{font-size:15px;margin:20px 0 8px}
  ul{padding-left:20px} li{margin:4px 0} .muted{color:#536471;font-size:14px}
  fieldset{border:1px solid #cfd9de;border-radius:12px;padding:8px 12px} label{display:block;padding:4px 0}
  .avatar{width:24px;height:24px;border-radius:50%;vertical-align:middle;margin-right:6px}
  .actions{display:flex;gap:12px;margin-top:24px}
  button{font:inherit;font-weight:700;border-radius:999px;padding:10px 20px;cursor:pointer;border:1px solid #cfd9de;background:#fff}
  button.primary{background:#0f1419;color:#fff;border-color:#0f1419}
  details{margin-top:20px;font-size:13px;color:#536471}
`;

export function somethingWentWrongPage(reason: string): string {
  return layout(
    "Something went wrong",
    `<h1>Something went wrong</h1>
    <p>You weren't able to give access to the App. Go back and try logging in again.</p>
    <details><summary>Why (X emulator only; X shows no reason)</summary><p>${escapeHtml(reason)}</p></details>`,
  );
}

export function consentPage(options: {
  app: EmulatorApp;
  users: EmulatorUser[];
  selectedUserId: string | null;
  scopes: string[];
  nonce: string;
  redirectUri: string;
}): string {
  const { app, users, selectedUserId, scopes, nonce, redirectUri } = options;
  const host = safeHost(redirectUri);
  const userChoices = users.length
    ? users
        .map(
          (u) => `<label><input type="radio" name="user_id" value="${escapeHtml(u.id)}"${u.id === selectedUserId ? " checked" : ""}>
          <img class="avatar" src="${escapeHtml(u.profileImageUrl)}" alt=""> ${escapeHtml(u.name)} <span class="muted">@${escapeHtml(u.username)}</span></label>`,
        )
        .join("\n")
    : `<p>No X users exist in the emulator; create one through the control API.</p>`;
  return layout(
    `Authorize ${app.name}`,
    `<h1>${escapeHtml(app.name)} wants to access your X account.</h1>
    <form method="post" action="/i/oauth2/authorize">
      <input type="hidden" name="nonce" value="${escapeHtml(nonce)}">
      <fieldset><legend>Signed in as</legend>${userChoices}</fieldset>
      <h2>Things this app will be able to do:</h2>
      <ul>${scopes.map((s) => `<li>${escapeHtml(describeScope(s))} <span class="muted">(${escapeHtml(s)})</span></li>`).join("")}</ul>
      <p class="muted">You will be sent back to ${escapeHtml(host)}.</p>
      <div class="actions">
        <button class="primary" type="submit" name="decision" value="allow"${users.length ? "" : " disabled"}>Authorize app</button>
        <button type="submit" name="decision" value="deny">Cancel</button>
      </div>
    </form>`,
  );
}

/** A tiny avatar so profile images load without the internet. */
export function avatarSvg(label: string): string {
  const letter = escapeHtml((label.trim()[0] ?? "?").toUpperCase());
  return `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48"><rect width="48" height="48" fill="#1d9bf0"/><text x="24" y="31" font-family="sans-serif" font-size="22" fill="#fff" text-anchor="middle">${letter}</text></svg>`;
}

function layout(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} / X (emulator)</title><style>${STYLE}</style></head>
<body><div class="banner" role="note">X emulator: a local stand-in for x.com, not the real X</div>
<main>${content}</main></body></html>`;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
