import type { Metadata } from "next";
import Link from "next/link";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { RevokeApiKeyButton } from "@/components/api-keys/revoke-api-key-button";
import { listApiKeys, type ApiKeySummary } from "@/lib/data/api-keys";
import { env } from "@/lib/env";
import { formatWhen } from "@/lib/format";
import { requireUser, roleAtLeast } from "@/lib/session";
import { API_SCOPE_LABELS } from "@/lib/validations/api-keys";

export const metadata: Metadata = { title: "API keys" };

const STATUS: Record<ApiKeySummary["status"], { label: string; className: string }> = {
  active: { label: "Active", className: "bg-green-50 text-green-800 border-green-300" },
  expired: { label: "Expired", className: "bg-amber-50 text-amber-800 border-amber-300" },
  revoked: { label: "Revoked", className: "bg-slate-100 text-slate-700 border-slate-300" },
};

export default async function ApiKeysPage() {
  const user = await requireUser();
  if (!roleAtLeast(user.role, "ADMIN")) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="text-sm text-slate-600">Only owners and admins can manage API keys.</p>
      </div>
    );
  }
  const keys = await listApiKeys(user.workspaceId);
  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="text-sm text-slate-600">
          Keys let {user.workspaceName}&apos;s own tools — scripts, schedulers, n8n or Zapier, your CRM — use the{" "}
          <Link href="/docs/api" className="text-indigo-700 underline">
            Keyport API
          </Link>
          . A key works only for this workspace, only with the permissions you give it, and can never read or change X app credentials, members or other keys.
        </p>
      </div>

      <CreateApiKeyForm apiBase={`${env.KEYPORT_PUBLIC_URL}/api/v1`} />

      <section aria-labelledby="keys-heading" className="space-y-2">
        <h2 id="keys-heading" className="text-lg font-semibold">
          Keys
        </h2>
        {keys.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">No API keys yet. Create one above.</div>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <caption className="sr-only">API keys, newest first</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Name</th>
                  <th scope="col" className="px-4 py-2 font-medium">Permissions</th>
                  <th scope="col" className="px-4 py-2 font-medium">Created</th>
                  <th scope="col" className="px-4 py-2 font-medium">Last used</th>
                  <th scope="col" className="px-4 py-2 font-medium">Expires</th>
                  <th scope="col" className="px-4 py-2 font-medium">Status</th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} className="border-t border-slate-100 align-top" data-testid="api-key-row">
                    <td className="px-4 py-2">
                      <span className="font-medium">{k.name}</span>
                      <code className="block text-xs text-slate-500">{k.display}</code>
                    </td>
                    <td className="px-4 py-2">
                      <ul>
                        {k.scopes.map((s) => (
                          <li key={s} title={API_SCOPE_LABELS[s].allows}>
                            <code className="text-xs">{s}</code>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="px-4 py-2 text-slate-600">
                      {formatWhen(k.createdAt)}
                      <span className="block text-xs">by {k.createdByName}</span>
                    </td>
                    <td className="px-4 py-2 text-slate-600">{k.lastUsedAt ? formatWhen(k.lastUsedAt) : "Never"}</td>
                    <td className="px-4 py-2 text-slate-600">{k.expiresAt ? formatWhen(k.expiresAt) : "Never"}</td>
                    <td className="px-4 py-2">
                      <span className={`inline-block rounded border px-1.5 py-0.5 text-xs ${STATUS[k.status].className}`}>{STATUS[k.status].label}</span>
                      {k.revokedAt ? <span className="block text-xs text-slate-500">{formatWhen(k.revokedAt)}</span> : null}
                    </td>
                    <td className="px-4 py-2 text-right">{k.status === "revoked" ? null : <RevokeApiKeyButton keyId={k.id} name={k.name} display={k.display} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
