"use client";
// Create an API key: name, permissions, expiry. The key comes back once; it is shown with a copy
// button and an example call, and is gone from the page after "Done".
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { createApiKeyAction } from "@/lib/actions/api-keys";
import { formatWhen } from "@/lib/format";
import { API_KEY_EXPIRY_CHOICES, API_SCOPE_LABELS, API_SCOPES, createApiKeySchema, type ApiScope } from "@/lib/validations/api-keys";

type Expiry = (typeof API_KEY_EXPIRY_CHOICES)[number];
const EXPIRY_TEXT: Record<Expiry, string> = { never: "Never", "7": "In 7 days", "30": "In 30 days", "90": "In 90 days", "365": "In a year" };

export function CreateApiKeyForm({ apiBase }: { apiBase: string }) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiScope[]>(["accounts:read"]);
  const [expiry, setExpiry] = useState<Expiry>("90");
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ key: string; display: string; expiresAt: string | null; name: string } | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setFormError(null);
    const input = { name, scopes, expiresInDays: expiry };
    const checked = createApiKeySchema.safeParse(input);
    if (!checked.success) {
      setErrors(Object.fromEntries(checked.error.issues.map((i) => [String(i.path[0] ?? "form"), i.message])));
      return;
    }
    setErrors({});
    setPending(true);
    const result = await createApiKeyAction(input).finally(() => setPending(false));
    if (!result.ok) {
      if (result.fieldErrors) setErrors(result.fieldErrors);
      setFormError(result.error);
      return;
    }
    setCreated({ key: result.data.key, display: result.data.display, expiresAt: result.data.expiresAt, name: checked.data.name });
    setName("");
    router.refresh();
  }

  if (created) {
    const example = `curl -H "Authorization: Bearer ${created.key}" ${apiBase}/brands`;
    return (
      <section aria-labelledby={`${id}-created`} className="space-y-3 rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm" role="status">
        <h2 id={`${id}-created`} className="text-lg font-semibold">
          Key “{created.name}” created
        </h2>
        <p className="font-medium">Copy this key now. Keyport stores only a hash of it and will never show it again.</p>
        <div className="flex flex-wrap items-center gap-2">
          <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs" data-testid="new-api-key">
            {created.key}
          </code>
          <CopyButton value={created.key} label="Copy key" />
        </div>
        <p className="text-slate-700">
          {created.expiresAt ? `It expires ${formatWhen(created.expiresAt)}.` : "It never expires; revoke it when it is no longer needed."} Try it:
        </p>
        <pre className="overflow-x-auto rounded bg-white p-2 font-mono text-xs">{example}</pre>
        <Button type="button" variant="secondary" size="sm" onClick={() => setCreated(null)}>
          Done, I have copied it
        </Button>
      </section>
    );
  }

  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        Create a key
      </h2>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <div className="max-w-md">
          <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} hint="What uses it, e.g. “CRM onboarding” or “n8n scheduler”." maxLength={80} />
        </div>
        <fieldset className="space-y-2" aria-describedby={errors.scopes ? `${id}-scopes-error` : undefined}>
          <legend className="text-sm font-medium text-slate-800">Permissions</legend>
          {API_SCOPES.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                className="mt-1"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes((s) => (e.target.checked ? [...s, scope] : s.filter((x) => x !== scope)))}
              />
              <span>
                <span className="font-medium">{API_SCOPE_LABELS[scope].label}</span> <code className="text-xs text-slate-500">{scope}</code>
                <span className="block text-slate-600">{API_SCOPE_LABELS[scope].allows}</span>
              </span>
            </label>
          ))}
          {errors.scopes ? (
            <p id={`${id}-scopes-error`} role="alert" className="text-sm text-red-700">
              {errors.scopes}
            </p>
          ) : null}
        </fieldset>
        <div className="space-y-1">
          <label htmlFor={`${id}-expiry`} className="block text-sm font-medium text-slate-800">
            Expires
          </label>
          <select id={`${id}-expiry`} value={expiry} onChange={(e) => setExpiry(e.target.value as Expiry)} className="h-10 rounded-md border border-slate-300 bg-white px-2 text-sm">
            {API_KEY_EXPIRY_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {EXPIRY_TEXT[choice]}
              </option>
            ))}
          </select>
        </div>
        <FormError message={formError && !Object.keys(errors).length ? formError : null} />
        <Button type="submit" pending={pending}>
          Create key
        </Button>
      </form>
    </section>
  );
}
