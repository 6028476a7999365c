"use client";
// Paste, test and save an X app's OAuth 2.0 Client ID and Client Secret. Nothing is ever
// pre-filled: replacing a secret means typing a new one.
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { toast } from "sonner";
import { lazyResolver } from "@/components/forms/lazy-resolver";
import { AlertDialog, preloadAlertDialog } from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { saveXCredentialsAction, testXCredentialsAction } from "@/lib/actions/x-credentials";
import type { Dependents } from "@/lib/data/x-credentials";
import type { XCredentialsInput } from "@/lib/validations/x-credentials";
import { CLIENT_KIND_WARNING, inspectClientId } from "@/lib/x/client-id";
import { TestResult, type TestView } from "./test-result";

type Props = { brandId?: string; replacing: boolean; brandName?: string };

// The shared schema and zod load when the form is first checked or focused (lazy-resolver.ts).
const resolver = lazyResolver(async () => {
  const [{ zodResolver }, { xCredentialsSchema }] = await Promise.all([import("@hookform/resolvers/zod"), import("@/lib/validations/x-credentials")]);
  return zodResolver(xCredentialsSchema);
});

export function CredentialsForm({ brandId, replacing, brandName }: Props) {
  const router = useRouter();
  const form = useForm<XCredentialsInput>({
    resolver,
    defaultValues: { clientId: "", clientSecret: "", ...(brandId ? { brandId } : {}) },
  });
  const { errors, isSubmitting } = form.formState;
  const [testing, setTesting] = useState(false);
  // The verdict belongs to the values it was given for; editing either field hides it.
  const [test, setTest] = useState<(TestView & { for: string }) | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ values: XCredentialsInput; dependents: Dependents } | null>(null);
  const clientId = useWatch({ control: form.control, name: "clientId" });
  const clientSecret = useWatch({ control: form.control, name: "clientSecret" });
  const current = `${clientId.trim()}\n${clientSecret.trim()}`;
  const kind = clientId && clientId.trim().length >= 20 ? inspectClientId(clientId) : null;
  const kindWarning = kind ? CLIENT_KIND_WARNING[kind] : undefined;
  // Explicit ids so the Client ID's description can include the warning below it.
  const clientIdInput = useId();
  const warningId = `${clientIdInput}-warning`;
  const formRef = useRef<HTMLFormElement>(null);

  function showFieldErrors(fieldErrors?: Record<string, string>) {
    for (const [name, message] of Object.entries(fieldErrors ?? {})) {
      if (name === "clientId" || name === "clientSecret") form.setError(name, { message });
    }
  }

  const onTest = form.handleSubmit(async (values) => {
    setTesting(true);
    setFormError(null);
    try {
      const result = await testXCredentialsAction(values);
      if (!result.ok) {
        setFormError(result.error);
        showFieldErrors(result.fieldErrors);
        return;
      }
      setTest({ status: result.data.status, message: result.data.message, at: result.data.testedAt, for: `${values.clientId.trim()}\n${values.clientSecret.trim()}` });
    } catch {
      setFormError("Keyport could not run the test. Check your connection and try again.");
    } finally {
      setTesting(false);
    }
  });

  async function save(values: XCredentialsInput, confirmAccountsMarked?: number) {
    setFormError(null);
    // Replacing may come back as "confirm first": fetch the dialog while the server answers.
    if (replacing) preloadAlertDialog();
    let result;
    try {
      result = await saveXCredentialsAction({ ...values, ...(confirmAccountsMarked !== undefined ? { confirmAccountsMarked } : {}) });
    } catch {
      setConfirm(null);
      setFormError("Keyport could not save. Check your connection and try again; nothing was changed.");
      return;
    }
    if (!result.ok) {
      setConfirm(null);
      setFormError(result.error);
      showFieldErrors(result.fieldErrors);
      return;
    }
    if (result.data.status === "confirm") {
      setConfirm({ values, dependents: result.data.dependents });
      return;
    }
    setConfirm(null);
    setTest(null);
    const { test: t, accountsMarked, created } = result.data;
    const marked = accountsMarked > 0 ? ` ${accountsMarked} connected account${accountsMarked === 1 ? "" : "s"} now need${accountsMarked === 1 ? "s" : ""} reconnecting.` : "";
    // Inconclusive is not "unreachable": X may have answered, just not clearly (t.message says which).
    const verdict = t.status === "inconclusive" ? ` ${t.message}` : "";
    toast.success(`Credentials ${created ? "saved" : "replaced"}.${marked}${verdict}`);
    form.reset({ clientId: "", clientSecret: "", ...(brandId ? { brandId } : {}) });
    router.refresh();
  }

  const onSave = form.handleSubmit((values) => save(values));

  return (
    // method="post": a submit before the page is hydrated must not put the secret in the URL
    // (history, server and proxy logs, Referer) as a GET would.
    <form ref={formRef} method="post" onSubmit={onSave} onFocus={resolver.preload} className="space-y-4" noValidate aria-label={brandName ? `X app credentials for ${brandName}` : "X app credentials"}>
      <Field
        id={clientIdInput}
        label="Client ID"
        autoComplete="off"
        spellCheck={false}
        error={errors.clientId?.message}
        hint={kindWarning ? undefined : "OAuth 2.0 Client ID, about 34 characters."}
        aria-describedby={
          [errors.clientId?.message ? `${clientIdInput}-error` : null, kindWarning ? warningId : `${clientIdInput}-hint`].filter(Boolean).join(" ") || undefined
        }
        {...form.register("clientId")}
      />
      {/* Always rendered, so a warning appearing while someone types is announced. */}
      <div aria-live="polite">
        {kindWarning ? (
          <p id={warningId} className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900" role="note" data-testid="client-id-warning">
            {kindWarning}
          </p>
        ) : null}
      </div>
      <Field
        label="Client Secret"
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        error={errors.clientSecret?.message}
        hint={replacing ? "The saved secret is never shown. Paste the new one to replace it." : "OAuth 2.0 Client Secret, about 50 characters."}
        {...form.register("clientSecret")}
      />
      <FormError message={formError} />
      <div aria-live="polite">{test && test.for === current ? <TestResult result={test} /> : null}</div>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" pending={testing} disabled={isSubmitting} onClick={onTest}>
          {testing ? "Testing…" : "Test credentials"}
        </Button>
        <Button type="submit" pending={isSubmitting && !confirm} disabled={testing}>
          {replacing ? "Replace credentials" : "Save credentials"}
        </Button>
      </div>
      <p className="text-xs text-slate-500">Saving tests the credentials with X first; credentials X rejects are not saved.</p>

      <AlertDialog
        open={confirm !== null}
        onOpenChange={(open) => !open && setConfirm(null)}
        widthClassName="w-[min(30rem,90vw)]"
        title="Replace the saved credentials?"
        descriptionClassName="mt-2 space-y-2 text-sm text-slate-600"
        descriptionTestId="replace-impact"
        description={<DependentsText dependents={confirm?.dependents ?? { total: 0, needReconnect: 0, brands: [], otherBrands: 0 }} />}
        // Opened by the server's answer, not by a trigger: send keyboard and screen-reader users
        // back to the button that asked for it.
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          const opener = formRef.current?.querySelector<HTMLButtonElement>("button[type=submit]");
          if (opener && !opener.disabled) opener.focus();
          else form.setFocus("clientId");
        }}
        action={
          <Button variant="danger" pending={isSubmitting} onClick={() => confirm && void form.handleSubmit(() => save(confirm.values, confirm.dependents.total))()}>
            Replace credentials
          </Button>
        }
      />
    </form>
  );
}

export function DependentsText({ dependents }: { dependents: Dependents }) {
  if (dependents.total === 0) return <p>No connected accounts depend on the saved credentials.</p>;
  return (
    <>
      <p>
        <strong>
          {dependents.total} connected account{dependents.total === 1 ? "" : "s"}
        </strong>{" "}
        got {dependents.total === 1 ? "its" : "their"} tokens through the saved credentials and will need reconnecting
        {dependents.needReconnect > 0 ? (
          <>
            {" "}
            ({dependents.needReconnect === dependents.total ? (dependents.total === 1 ? "it already does" : "all already do") : `${dependents.needReconnect} already do`}, because X
            rejects these credentials)
          </>
        ) : null}
        :
      </p>
      <ul className="list-disc pl-5">
        {dependents.brands.map((b) => (
          <li key={b.brandId}>
            {b.brandName}: {b.count}
          </li>
        ))}
        {dependents.otherBrands > 0 ? (
          <li>
            and {dependents.otherBrands.toLocaleString("en")} more brand{dependents.otherBrands === 1 ? "" : "s"}
          </li>
        ) : null}
      </ul>
    </>
  );
}
