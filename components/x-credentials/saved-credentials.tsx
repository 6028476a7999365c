// What Keyport shows of saved credentials: the Client ID's first six characters, the app type
// hint, who saved them and when, the last test. Never the secret (it never leaves the server).
import type { CredentialSummary, Dependents } from "@/lib/data/x-credentials";
import { formatWhen } from "@/lib/format";
import { CLIENT_KIND_HINT } from "@/lib/x/client-id";
import { RejectedNotice } from "./rejected-notice";
import { SavedCredentialActions } from "./saved-credential-actions";
import { TestResult } from "./test-result";

export function SavedCredentials({
  summary,
  dependents,
  canManage,
  brandId,
  removeLabel,
  removeConsequence,
  replaceHref = null,
}: {
  summary: CredentialSummary;
  dependents: Dependents | null;
  canManage: boolean;
  brandId?: string;
  removeLabel: string;
  removeConsequence: string;
  /** Where the replace form is (shown as the primary action while X rejects the credentials). */
  replaceHref?: string | null;
}) {
  return (
    <div className="space-y-3" data-testid="saved-credentials">
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-600">Client ID</dt>
        <dd>
          <code data-testid="client-id-preview">{summary.clientIdPreview}</code>
          <span className="text-slate-500">…</span>
          <span className="ml-2 text-xs text-slate-500">(only the first six characters are kept readable)</span>
        </dd>
        <dt className="text-slate-600">Client Secret</dt>
        <dd className="text-slate-700">Saved, encrypted; never shown again</dd>
        <dt className="text-slate-600">App type</dt>
        <dd>{CLIENT_KIND_HINT[summary.clientKind]}</dd>
        <dt className="text-slate-600">Saved by</dt>
        <dd>
          {summary.updatedByName}, {formatWhen(summary.updatedAt)}
          {summary.version > 1 ? <span className="text-slate-500"> (replaced {summary.version - 1}×)</span> : null}
        </dd>
        {dependents ? (
          <>
            <dt className="text-slate-600">Connected accounts</dt>
            <dd data-testid="dependents-count">
              {dependents.total}
              {dependents.needReconnect > 0 ? (
                <span className="text-red-800"> ({dependents.needReconnect} need{dependents.needReconnect === 1 ? "s" : ""} reconnecting because X rejected these credentials)</span>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {summary.rejected ? (
        <RejectedNotice rejected={summary.rejected} replaceHref={canManage ? replaceHref : null} />
      ) : summary.lastTest ? (
        <TestResult result={{ status: summary.lastTest.status, message: summary.lastTest.message, at: summary.lastTest.at.toISOString() }} />
      ) : (
        <p className="text-sm text-slate-600">Not tested yet.</p>
      )}
      {canManage && dependents ? (
        <SavedCredentialActions brandId={brandId} dependents={dependents} removeLabel={removeLabel} removeConsequence={removeConsequence} />
      ) : null}
    </div>
  );
}
