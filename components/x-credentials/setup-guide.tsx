"use client";
// The walkthrough of X's Developer Console (and the older portal), in X's own words. Ticked steps
// are kept per workspace; the guide folds away once credentials are saved and tested, and as soon
// as anything is ticked or saved a link jumps to the credentials form.
import { CheckCircle2, Circle } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { CopyButton } from "@/components/ui/copy-button";
import { setGuideStepAction } from "@/lib/actions/x-credentials";
import type { GuideStep, StepId } from "./setup-guide-steps";

export type GuideScope = { scope: string; purpose: string; permission: string; optional: boolean };

type Props = {
  /** Rendered on the server (setup-guide-steps.tsx): their text never ships as JavaScript. */
  steps: GuideStep[];
  troubleshooting: React.ReactNode;
  /** What a connection asks X for (the default set and the workspace's extras). */
  scopes: GuideScope[];
  /** The App permissions label those scopes need. */
  permission: string;
  stepsDone: string[];
  collapsed: boolean;
  canManage: boolean;
  hasCredentials: boolean;
  /** The workspace's optional-scopes form, when the viewer may change it. */
  scopeSettings?: React.ReactNode;
};

export function SetupGuide({ steps, troubleshooting, scopes, permission, stepsDone, collapsed, canManage, hasCredentials, scopeSettings }: Props) {
  const [done, setDone] = useState(() => new Set(stepsDone));
  const [saving, start] = useTransition();
  const [touched, setTouched] = useState(false);
  const scopeList = scopes.map((s) => s.scope).join(" ");

  function toggle(step: StepId, value: boolean) {
    const previous = new Set(done);
    const next = new Set(done);
    if (value) next.add(step);
    else next.delete(step);
    setDone(next);
    setTouched(true);
    start(async () => {
      const result = await setGuideStepAction({ step, done: value });
      if (!result.ok) {
        setDone(previous);
        toast.error(result.error);
      }
    });
  }

  const completed = steps.filter((s) => done.has(s.id)).length;

  return (
    <section aria-labelledby="guide-heading" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 px-4 pt-4 sm:px-6 sm:pt-6">
        <h2 id="guide-heading" className="text-lg font-semibold">
          Set up your X app in the Developer Console
        </h2>
        <p className="text-sm text-slate-600">
          {completed} of {steps.length} steps ticked
          <span aria-live="polite" className="ml-1">
            {saving ? "(saving…)" : touched ? "(progress saved)" : ""}
          </span>
        </p>
      </div>
      {canManage && (completed > 0 || hasCredentials) ? (
        <p className="mx-4 mt-3 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-950 sm:mx-6" data-testid="jump-to-form">
          {hasCredentials ? "Credentials are saved. " : "Have the Client ID and Client Secret? "}
          <a href="#credentials" className="font-medium text-indigo-800 underline">
            {hasCredentials ? "Go to the saved credentials" : "Go to the credentials form"}
          </a>
        </p>
      ) : null}
      <details open={!collapsed} className="group" id="guide">
        <summary className="mt-2 cursor-pointer px-4 py-2 text-sm font-medium text-indigo-800 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 sm:px-6">
          <span className="group-open:hidden">Show the steps</span>
          <span className="hidden group-open:inline">Hide the steps</span>
        </summary>
        <div className="space-y-6 px-4 pt-2 pb-4 sm:px-6 sm:pb-6">
          <ol className="space-y-4">
            {steps.map((step, index) => {
              const isDone = done.has(step.id);
              return (
                <li key={step.id} className="flex gap-3" data-testid={`guide-step-${step.id}`}>
                  <span className="mt-0.5 text-indigo-700" aria-hidden>
                    {isDone ? <CheckCircle2 className="size-5" /> : <Circle className="size-5" />}
                  </span>
                  <div className="min-w-0 flex-1 text-sm text-slate-700">
                    <h3 className="font-semibold text-slate-900">
                      {index + 1}. {step.title}
                    </h3>
                    <div className="mt-1">{step.body}</div>
                    {canManage ? (
                      <label className="mt-2 inline-flex items-center gap-2 text-slate-600">
                        <input
                          type="checkbox"
                          checked={isDone}
                          onChange={(e) => toggle(step.id, e.target.checked)}
                          className="size-4"
                          aria-label={`Done: ${step.title}`}
                        />
                        Done
                      </label>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ol>

          <section aria-labelledby="scopes-heading" className="rounded-md bg-slate-50 p-4 text-sm">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 id="scopes-heading" className="font-semibold">
                Scopes Keyport asks for
              </h3>
              <CopyButton value={scopeList} label="Copy scopes" />
            </div>
            <p className="mt-1 text-slate-600">
              Keyport requests these when someone connects; X only grants what the app&apos;s permissions allow (these need{" "}
              <strong>{permission}</strong>), and each account&apos;s card shows what X really granted. Nothing to enter in the console.
            </p>
            <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]" data-testid="requested-scopes">
              {scopes.map((s) => (
                <div key={s.scope} className="contents">
                  <dt>
                    <code>{s.scope}</code>
                  </dt>
                  <dd className="text-slate-600">
                    {s.purpose}
                    {s.optional ? <span className="text-slate-700"> (optional; needs {s.permission})</span> : null}
                  </dd>
                </div>
              ))}
            </dl>
            {scopeSettings}
          </section>

          {troubleshooting}
        </div>
      </details>
    </section>
  );
}
