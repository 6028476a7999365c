// The instance app (KEYPORT_X_CLIENT_ID / KEYPORT_X_CLIENT_SECRET, set by whoever runs Keyport):
// named with its Client ID's first six characters, and nothing else — it is not editable or
// viewable from the dashboard; a workspace opts out by saving its own app.
import { INSTANCE_APP_LABEL, type CredentialSummary } from "@/lib/data/x-credentials";
import { RejectedNotice } from "./rejected-notice";

export function InstanceAppNote({ summary, canManage }: { summary: CredentialSummary; canManage: boolean }) {
  return (
    <div className="space-y-3 text-sm" data-testid="instance-app">
      <p className="text-slate-700">
        No X app of this workspace&apos;s own is saved, so brands without their own app connect through the <strong>{INSTANCE_APP_LABEL}</strong> (Client ID{" "}
        <code className="font-mono">{summary.clientIdPreview}…</code>). Its credentials live in Keyport&apos;s configuration and cannot be seen or changed
        here; its rate limits and costs are shared with every workspace on this Keyport. {canManage ? "Save your own app below to use it instead." : null}
      </p>
      {summary.rejected ? <RejectedNotice rejected={summary.rejected} replaceHref={canManage ? "#replace-credentials" : null} instance /> : null}
    </div>
  );
}
