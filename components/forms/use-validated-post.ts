"use client";
// Forms that post to a server action (`<form action={dispatch}>` from useActionState). Before the
// page's scripts load, or with JavaScript off, the browser itself POSTs the fields to the action
// (never a GET: nothing typed ends up in the URL). Once scripts run, the shared zod schema checks
// the fields in the browser first and the same FormData is dispatched only when it passes.
import { startTransition, useEffect, useSyncExternalStore, type FormEvent } from "react";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import type { AuthFormState } from "@/lib/actions/auth";

export function useValidatedPost<T extends FieldValues>(
  form: UseFormReturn<T>,
  state: AuthFormState,
  dispatch: (data: FormData) => void,
  secretFields: Path<T>[],
) {
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);

  // Each answer from the server: its field errors join the browser's, and secrets are cleared.
  useEffect(() => {
    if (!state) return;
    for (const name of secretFields) form.resetField(name);
    for (const [name, message] of Object.entries(state.fieldErrors ?? {})) form.setError(name as Path<T>, { message });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new answer should do this
  }, [state]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const element = event.currentTarget;
    void form.handleSubmit(() => startTransition(() => dispatch(new FormData(element))))(event);
  };

  /** Before hydration only the server's answer is known; afterwards the form's own errors. */
  const errorOf = (name: Path<T>): string | undefined => {
    if (!hydrated) return state?.fieldErrors?.[name];
    const error = form.formState.errors[name];
    return typeof error?.message === "string" ? error.message : undefined;
  };

  return { onSubmit, errorOf };
}

function noSubscription() {
  return () => {};
}
