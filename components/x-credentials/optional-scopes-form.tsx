"use client";
// The workspace's optional X scopes: what new connections ask for beyond Keyport's default, each
// with the App permissions setting X needs before it will grant it. Accounts connected earlier
// keep what they were granted until they reconnect.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { setExtraScopesAction } from "@/lib/actions/scopes";

export type OptionalScopeChoice = { scope: string; purpose: string; permission: string };

export function OptionalScopesForm({ choices, chosen }: { choices: OptionalScopeChoice[]; chosen: string[] }) {
  const router = useRouter();
  const [selected, setSelected] = useState(() => new Set(chosen));
  const [pending, start] = useTransition();
  const changed = selected.size !== chosen.length || chosen.some((s) => !selected.has(s));

  function save(event: React.FormEvent) {
    event.preventDefault();
    start(async () => {
      const result = await setExtraScopesAction({ scopes: [...selected] });
      if (!result.ok) {
        toast.error(result.error);
        return;
      }
      setSelected(new Set(result.data));
      toast.success(result.data.length ? `New connections will also ask for ${result.data.join(", ")}.` : "New connections ask only for the default scopes.");
      router.refresh();
    });
  }

  return (
    <details className="mt-4 rounded-md border border-slate-200 bg-white px-3 py-2" open={chosen.length > 0}>
      <summary className="cursor-pointer font-medium text-slate-900">Ask for more scopes (optional)</summary>
      <form onSubmit={save} method="post" className="mt-2 space-y-3" aria-label="Optional X scopes">
        <p className="text-slate-600">
          For the workspace&apos;s own tools. Each needs the app permission shown; accounts connected before a change keep their old grant until
          they reconnect.
        </p>
        <fieldset>
          <legend className="sr-only">Optional scopes</legend>
          <ul className="space-y-2">
            {choices.map((c) => (
              <li key={c.scope}>
                <label className="flex items-start gap-2">
                  <input
                    type="checkbox"
                    name="scopes"
                    value={c.scope}
                    className="mt-0.5 size-4 shrink-0"
                    checked={selected.has(c.scope)}
                    onChange={(e) => {
                      const next = new Set(selected);
                      if (e.target.checked) next.add(c.scope);
                      else next.delete(c.scope);
                      setSelected(next);
                    }}
                  />
                  <span className="min-w-0">
                    <code>{c.scope}</code> — {c.purpose} <span className="text-slate-600">Needs {c.permission}.</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <Button type="submit" size="sm" variant="secondary" pending={pending} disabled={!changed}>
          Save optional scopes
        </Button>
      </form>
    </details>
  );
}
