// What Keyport's emails say: one per incident (an account broke, X kept failing for it, it came
// back; an app's credentials were refused or replaced, with every account that affected) and a
// daily digest. Plain text plus simple HTML built from the same parts, with links to the pages
// that fix things. Everything shown comes from notification payloads, which never hold a secret.
// Pure functions: no Prisma, no network.
import { RECONNECT_REASONS, reconnectReasonLabel, type ReconnectReason } from "../reconnect-reasons";

export type Email = { subject: string; text: string; html: string };

type Content = { subject: string; paragraphs: string[]; facts: [string, string][]; list: string[]; more: number; actions: { label: string; url: string }[] };

/** The parts of a notification payload an email uses (Notification.payload's `data`). */
export type AccountData = {
  account?: { username?: string; name?: string };
  brand?: { id?: string; name?: string };
  reason?: string | null;
  reasonText?: string | null;
  detail?: string | null;
  xError?: string | null;
  since?: string;
  links?: { brand?: string; connections?: string };
};
export type RejectedData = {
  app?: { clientIdPreview?: string; scope?: string; brand?: { name?: string } | null };
  reason?: string;
  reasonText?: string;
  xError?: string | null;
  accountsAffected?: number;
  since?: string;
  links?: { settings?: string };
};

export const LISTED = 20;

export function incidentEmail(input: {
  workspaceName: string;
  publicUrl: string;
  event: string;
  accounts: AccountData[];
  /** Account rows in the incident; more than `accounts` when only a sample was read. */
  accountCount: number;
  rejected: RejectedData | null;
}): Email {
  const { workspaceName, publicUrl, event, accounts, accountCount, rejected } = input;
  const connections = `${publicUrl}/admin/connections`;
  const who = (a: AccountData) => `@${a.account?.username ?? "unknown"} (${a.brand?.name ?? "a brand"})`;
  const list = accounts.slice(0, LISTED).map(who);
  const more = Math.max(0, accountCount - list.length);
  const first = accounts[0] ?? {};

  if (rejected) {
    const app = `${rejected.app?.clientIdPreview ?? "?"}…${rejected.app?.scope === "brand" ? ` (${rejected.app.brand?.name ?? "a brand"}'s own app)` : " (the workspace's default app)"}`;
    const affected = rejected.accountsAffected ?? accountCount;
    return render({
      subject: `X rejected the app ${app}${affected ? ` — ${plural(affected, "account needs", "accounts need")} reconnecting` : ""}`,
      paragraphs: [
        `${rejected.reasonText ?? "X refused the app"}. Keyport re-tested the credentials before saying so.`,
        rejected.reason === "not-enrolled"
          ? "Attach the app to a Project in X's developer portal; its accounts keep their tokens and work again once it is."
          : `Paste the app's current Client ID and Secret into Keyport, then reconnect ${affected ? `the ${plural(affected, "account", "accounts")} below` : "its accounts"}.`,
      ],
      facts: [["Workspace", workspaceName], ["App", app], ...(rejected.xError ? [["X said", rejected.xError] as [string, string]] : []), ...since(rejected.since)],
      list,
      more,
      actions: [
        { label: "Fix the app's credentials", url: rejected.links?.settings ?? `${publicUrl}/settings/x` },
        ...(affected ? [{ label: "See the accounts that need reconnecting", url: `${connections}?reason=app-credentials` }] : []),
      ],
    });
  }

  const reason = first.reasonText ?? reconnectReasonLabel(first.reason);
  const fix = first.reason && first.reason in RECONNECT_REASONS ? RECONNECT_REASONS[first.reason as ReconnectReason].fix : null;
  const facts: [string, string][] = [["Workspace", workspaceName], ...(first.detail ? [["Detail", first.detail] as [string, string]] : []), ...(first.xError ? [["X said", first.xError] as [string, string]] : []), ...since(first.since)];
  const brandLink = { label: `Open ${first.brand?.name ?? "the brand"}`, url: first.links?.brand ?? connections };

  if (event === "account.degraded") {
    return render({
      subject: `X keeps failing for ${who(first)}`,
      paragraphs: [`X has answered ${who(first)}'s checks with errors, or not at all, for a long while. Keyport keeps the tokens and keeps retrying; nothing needs reconnecting. You will hear when it works again.`],
      facts,
      list: accountCount > 1 ? list : [],
      more: accountCount > 1 ? more : 0,
      actions: [brandLink, { label: "See everything that needs attention", url: connections }],
    });
  }
  if (event === "account.recovered") {
    return render({
      subject: accountCount > 1 ? `${plural(accountCount, "account works", "accounts work")} again` : `${who(first)} works again`,
      paragraphs: [`X answers again for ${accountCount > 1 ? "these accounts" : who(first)}; Keyport did not need anyone to act.`],
      facts: [["Workspace", workspaceName], ...since(first.since)],
      list: accountCount > 1 ? list : [],
      more: accountCount > 1 ? more : 0,
      actions: [brandLink],
    });
  }
  if (accountCount > 1) {
    return render({
      subject: `${plural(accountCount, "X account needs", "X accounts need")} reconnecting — ${reason}`,
      paragraphs: [`${plural(accountCount, "connected X account", "connected X accounts")} stopped working at once: ${reason}.`, ...(fix ? [fix] : [])],
      facts,
      list,
      more,
      actions: [{ label: "Reconnect them", url: first.reason ? `${connections}?reason=${encodeURIComponent(first.reason)}` : connections }],
    });
  }
  return render({
    subject: `${who(first)} needs reconnecting — ${reason}`,
    paragraphs: [`${who(first)}${first.account?.name ? `, ${first.account.name},` : ""} stopped working in Keyport: ${reason}.`, ...(fix ? [fix] : [])],
    facts,
    list: [],
    more: 0,
    actions: [{ label: "Reconnect it", url: first.links?.brand ?? connections }, { label: "See everything that needs attention", url: connections }],
  });
}

export type DigestInput = {
  workspaceName: string;
  publicUrl: string;
  needsReconnect: number;
  degraded: number;
  reasons: { label: string; count: number }[];
  oldest: { username: string; brandName: string; reason: string; since: Date }[];
  day: string;
};

export function digestEmail(input: DigestInput): Email {
  const total = input.needsReconnect + input.degraded;
  const connections = `${input.publicUrl}/admin/connections`;
  const parts = [input.needsReconnect ? `${input.needsReconnect} to reconnect` : null, input.degraded ? `${input.degraded} degraded` : null].filter(Boolean).join(", ");
  return render({
    subject: `Daily summary: ${plural(total, "X account needs", "X accounts need")} attention (${parts})`,
    paragraphs: [`As of ${input.day}, these connections in ${input.workspaceName} still need attention. Keyport sends this summary once a day while anything does.`],
    facts: input.reasons.map((r) => [r.label, String(r.count)]),
    list: input.oldest.map((a) => `@${a.username} (${a.brandName}) — ${a.reason}, since ${a.since.toISOString().slice(0, 16).replace("T", " ")} UTC`),
    more: Math.max(0, total - input.oldest.length),
    actions: [{ label: "Open the Reconnect list", url: connections }],
  });
}

function since(at: string | undefined): [string, string][] {
  return at ? [["Since", `${at.slice(0, 16).replace("T", " ")} UTC`]] : [];
}

function plural(n: number, one: string, many: string) {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

function render(c: Content): Email {
  const subject = `[Keyport] ${oneLine(c.subject)}`.slice(0, 200);
  const text = [
    ...c.paragraphs,
    c.facts.length ? c.facts.map(([k, v]) => `${k}: ${oneLine(v)}`).join("\n") : null,
    c.list.length ? [...c.list.map((l) => `- ${l}`), ...(c.more ? [`- and ${c.more.toLocaleString("en-US")} more`] : [])].join("\n") : null,
    c.actions.map((a) => `${a.label}: ${a.url}`).join("\n"),
    "— Keyport",
  ]
    .filter(Boolean)
    .join("\n\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a;line-height:1.5;max-width:40rem">
${c.paragraphs.map((p) => `<p>${esc(p)}</p>`).join("\n")}
${c.facts.length ? `<table style="border-collapse:collapse">${c.facts.map(([k, v]) => `<tr><th align="left" style="padding:2px 12px 2px 0">${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>` : ""}
${c.list.length ? `<ul>${c.list.map((l) => `<li>${esc(l)}</li>`).join("")}${c.more ? `<li>and ${c.more.toLocaleString("en-US")} more</li>` : ""}</ul>` : ""}
<p>${c.actions.map((a) => `<a href="${esc(a.url)}" style="color:#4338ca">${esc(a.label)}</a>`).join(" · ")}</p>
<p style="color:#64748b">— Keyport</p>
</body></html>`;
  return { subject, text, html };
}

function oneLine(value: string) {
  return value.replace(/[\r\n\u0000-\u001f\u007f]+/g, " ").trim();
}

function esc(value: string) {
  return value.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}
