import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { CredentialsForm } from "@/components/x-credentials/credentials-form";
import { SavedCredentials } from "@/components/x-credentials/saved-credentials";
import { SetupGuide } from "@/components/x-credentials/setup-guide";
import { CostPanel } from "@/components/usage/cost-panel";
import { callbackUrl, checkPublicUrl } from "@/lib/callback-url";
import { dependentAccounts, getCredentialSummary, getGuideProgress } from "@/lib/data/x-credentials";
import { env } from "@/lib/env";
import { requireUser, roleAtLeast } from "@/lib/session";
import { REQUESTED_SCOPES, SCOPE_PURPOSE } from "@/lib/x/scopes";

export const metadata: Metadata = { title: "X app" };

export default async function XAppSettingsPage() {
  const user = await requireUser();
  const canManage = roleAtLeast(user.role, "ADMIN");
  const [summary, stepsDone] = await Promise.all([getCredentialSummary({ workspaceId: user.workspaceId }), getGuideProgress(user.workspaceId)]);
  const dependents = summary && canManage ? await dependentAccounts(user.workspaceId, summary.id) : null;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">X app</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Keyport connects X accounts through your agency&apos;s own X developer app, so its rate limits are yours alone. This is the workspace
          default: every brand uses it unless the brand has its own app (set on the brand&apos;s page).
        </p>
      </div>

      <SetupGuide
        callbackUrl={callbackUrl(env.KEYPORT_PUBLIC_URL)}
        publicUrl={env.KEYPORT_PUBLIC_URL}
        urlChecks={checkPublicUrl(env.publicUrlAsConfigured)}
        scopes={REQUESTED_SCOPES.map((scope) => ({ scope, purpose: SCOPE_PURPOSE[scope] }))}
        stepsDone={stepsDone}
        collapsed={summary?.lastTest?.status === "valid"}
        canManage={canManage}
      />

      <Card className="space-y-6">
        <h2 className="text-lg font-semibold">{summary ? "Saved credentials" : "OAuth 2.0 credentials"}</h2>
        {summary ? (
          <SavedCredentials
            summary={summary}
            dependents={dependents}
            canManage={canManage}
            removeLabel="Remove credentials"
            removeConsequence="Brands without their own X app will have no app to connect through until new credentials are saved."
          />
        ) : (
          <p className="text-sm text-slate-600">No X app saved yet. Follow the guide above, then paste the app&apos;s Client ID and Client Secret.</p>
        )}
        {canManage ? (
          <div className="border-t border-slate-100 pt-6">
            <h3 className="mb-3 font-semibold">{summary ? "Replace credentials" : "Paste your app's credentials"}</h3>
            <CredentialsForm replacing={Boolean(summary)} />
          </div>
        ) : (
          <p className="text-sm text-slate-600">Only owners and admins can change the X app.</p>
        )}
      </Card>
      <CostPanel />
    </div>
  );
}
