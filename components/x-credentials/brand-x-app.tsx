// The brand page's "X app" section: which app connects this brand's accounts and why, and the
// brand's own override app for those who manage it.
import Link from "next/link";
import { CredentialsForm } from "@/components/x-credentials/credentials-form";
import { SavedCredentials } from "@/components/x-credentials/saved-credentials";
import { dependentAccounts, effectiveCredential, INSTANCE_APP_LABEL } from "@/lib/data/x-credentials";
import { RejectedNotice } from "./rejected-notice";
import { requireUser } from "@/lib/session";

export async function BrandXApp({ brandId, brandName, canManage }: { brandId: string; brandName: string; canManage: boolean }) {
  const user = await requireUser();
  const effective = await effectiveCredential(user.workspaceId, brandId);
  const dependents = effective.override && canManage ? await dependentAccounts(user.workspaceId, effective.override.id) : null;
  return (
    <section aria-labelledby="x-app-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-6">
      <h2 id="x-app-heading" className="text-lg font-semibold">
        X app
      </h2>
      <p className="text-sm text-slate-700" data-testid="effective-app">
        {effective.source === "brand" ? (
          <>
            Accounts connect through <strong>this brand&apos;s own X app</strong> (Client ID <code>{effective.credential.clientIdPreview}…</code>): a
            brand&apos;s app takes precedence over the workspace default.
          </>
        ) : effective.source === "workspace" ? (
          <>
            Accounts connect through <strong>the workspace default X app</strong> (Client ID <code>{effective.credential.clientIdPreview}…</code>),
            because this brand has no app of its own.
          </>
        ) : effective.source === "instance" ? (
          <>
            Accounts connect through the <strong>{INSTANCE_APP_LABEL}</strong> (Client ID <code>{effective.credential.clientIdPreview}…</code>), because
            neither this brand nor the workspace has an app of its own.
          </>
        ) : (
          <>
            <strong>No X app applies yet.</strong> Save the workspace default in{" "}
            <Link href="/settings/x" className="text-indigo-700 underline">
              X app settings
            </Link>
            {canManage ? ", or give this brand its own app below." : "."}
          </>
        )}
      </p>
      {effective.source === "workspace" && effective.credential.rejected ? (
        <RejectedNotice rejected={effective.credential.rejected} replaceHref={canManage ? "/settings/x#replace-credentials" : null} />
      ) : null}
      {effective.source === "instance" && effective.credential.rejected ? (
        <RejectedNotice rejected={effective.credential.rejected} replaceHref={canManage ? "#brand-app-form" : null} instance />
      ) : null}
      {effective.override ? (
        <SavedCredentials
          replaceHref="#brand-app-form"
          summary={effective.override}
          dependents={dependents}
          canManage={canManage}
          brandId={brandId}
          removeLabel="Remove this brand's app"
          removeConsequence={
            effective.fallback
              ? "New connections will then use the workspace default app."
              : "There is no workspace default app, so the brand will have no app to connect through (unless the operator set an instance app)."
          }
        />
      ) : null}
      {canManage ? (
        // Keyed by the saved version: after a save the form folds away instead of staying open.
        <details
          id="brand-app-form"
          key={`${effective.override?.id ?? "none"}:${effective.override?.version ?? 0}`}
          // Open while X rejects the brand's own app: replacing it is the one thing to do.
          open={Boolean(effective.override?.rejected) || undefined}
          className="scroll-mt-4 rounded-md border border-slate-200 p-4"
        >
          <summary className="cursor-pointer text-sm font-medium text-indigo-700">
            {effective.override ? "Replace this brand's app credentials" : "Use a different X app for this brand"}
          </summary>
          <div className="mt-4 space-y-3">
            <p className="text-sm text-slate-600">
              Set the app up as in the{" "}
              <Link href="/settings/x#guide" className="text-indigo-700 underline">
                setup guide
              </Link>{" "}
              (same callback URL), then paste its OAuth 2.0 credentials.
            </p>
            <CredentialsForm brandId={brandId} brandName={brandName} replacing={Boolean(effective.override)} />
          </div>
        </details>
      ) : null}
    </section>
  );
}
