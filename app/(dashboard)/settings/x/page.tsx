import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { QuotaPanel } from "@/components/usage/quota-panel";
import { CredentialsForm } from "@/components/x-credentials/credentials-form";
import { InstanceAppNote } from "@/components/x-credentials/instance-app-note";
import { SavedCredentials } from "@/components/x-credentials/saved-credentials";
import { NextStepPanel } from "@/components/x-credentials/next-step";
import { OptionalScopesForm } from "@/components/x-credentials/optional-scopes-form";
import { SetupGuide } from "@/components/x-credentials/setup-guide";
import { guideSteps, Troubleshooting } from "@/components/x-credentials/setup-guide-steps";
import { CostPanel } from "@/components/usage/cost-panel";
import { appCosts } from "@/lib/data/usage";
import { callbackUrl, checkPublicUrl } from "@/lib/callback-url";
import { dependentAccounts, getCredentialSummary, getGuideProgress, instanceCredentialSummary } from "@/lib/data/x-credentials";
import { env } from "@/lib/env";
import { requireUser, roleAtLeast } from "@/lib/session";
import { nextSetupStep } from "@/lib/data/onboarding";
import { getExtraScopes } from "@/lib/data/workspace-scopes";
import { APP_PERMISSION_LABEL, isOptionalScope, OPTIONAL_SCOPES, requestedScopes, requiredPermission, SCOPE_INFO } from "@/lib/x/scopes";

export const metadata: Metadata = { title: "X app" };

export default async function XAppSettingsPage() {
  const user = await requireUser();
  const canManage = roleAtLeast(user.role, "ADMIN");
  const [summary, stepsDone, extraScopes] = await Promise.all([
    getCredentialSummary({ workspaceId: user.workspaceId }),
    getGuideProgress(user.workspaceId),
    getExtraScopes(user.workspaceId),
  ]);
  const [dependents, next] = await Promise.all([
    summary && canManage ? dependentAccounts(user.workspaceId, summary.id) : null,
    summary ? nextSetupStep(user.workspaceId) : null,
  ]);
  // The operator's app applies only where the workspace has none of its own.
  const instance = summary ? null : await instanceCredentialSummary(user.workspaceId);
  const requested = requestedScopes(extraScopes);
  const permission = APP_PERMISSION_LABEL[requiredPermission(requested)];
  const guide = (
    <SetupGuide
      steps={guideSteps({
        callbackUrl: callbackUrl(env.KEYPORT_PUBLIC_URL),
        publicUrl: env.KEYPORT_PUBLIC_URL,
        urlChecks: checkPublicUrl(env.publicUrlAsConfigured),
        permission,
        needsDm: requested.some((s) => s.startsWith("dm.")),
      })}
      troubleshooting={<Troubleshooting />}
      scopes={requested.map((scope) => ({ scope, purpose: SCOPE_INFO[scope].purpose, permission: APP_PERMISSION_LABEL[SCOPE_INFO[scope].permission], optional: isOptionalScope(scope) }))}
      permission={permission}
      stepsDone={stepsDone}
      collapsed={summary?.lastTest?.status === "valid"}
      canManage={canManage}
      hasCredentials={Boolean(summary)}
      scopeSettings={
        canManage ? (
          <OptionalScopesForm
            choices={OPTIONAL_SCOPES.map((scope) => ({ scope, purpose: SCOPE_INFO[scope].purpose, permission: APP_PERMISSION_LABEL[SCOPE_INFO[scope].permission] }))}
            chosen={extraScopes}
          />
        ) : null
      }
    />
  );
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">X app</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Keyport connects X accounts through your agency&apos;s own X developer app, so its rate limits are yours alone. This is the workspace
          default: every brand uses it unless the brand has its own app (set on the brand&apos;s page).
        </p>
      </div>

      {/* Once credentials exist the form is what people come back for: it goes first. */}
      {summary ? null : guide}

      <Card className="scroll-mt-4 space-y-6" id="credentials">
        <h2 className="text-lg font-semibold">{summary ? "Saved credentials" : "OAuth 2.0 credentials"}</h2>
        {summary ? (
          <SavedCredentials
            summary={summary}
            dependents={dependents}
            canManage={canManage}
            removeLabel="Remove credentials"
            replaceHref="#replace-credentials"
            removeConsequence="Brands without their own X app will have no app to connect through until new credentials are saved (or, if the operator set one, the instance app)."
          />
        ) : instance ? (
          <InstanceAppNote summary={instance} canManage={canManage} />
        ) : (
          <p className="text-sm text-slate-600">No X app saved yet. Follow the guide above, then paste the app&apos;s Client ID and Client Secret.</p>
        )}
        {canManage ? (
          <div className="border-t border-slate-100 pt-6">
            <h3 id="replace-credentials" className="mb-3 scroll-mt-4 font-semibold">
              {summary ? "Replace credentials" : "Paste your app's credentials"}
            </h3>
            <CredentialsForm replacing={Boolean(summary)} />
          </div>
        ) : (
          <p className="text-sm text-slate-600">Only owners and admins can change the X app.</p>
        )}
      </Card>
      {summary && next && canManage ? <NextStepPanel next={next} /> : null}
      {summary ? guide : null}
      <QuotaPanel workspaceId={user.workspaceId} />
      <CostPanel rows={await appCosts(user.workspaceId)} />
    </div>
  );
}
