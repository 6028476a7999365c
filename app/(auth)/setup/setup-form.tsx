"use client";
import { useActionState } from "react";
import { useForm } from "react-hook-form";
import { lazyResolver } from "@/components/forms/lazy-resolver";
import { useValidatedPost } from "@/components/forms/use-validated-post";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { setupAction } from "@/lib/actions/auth";
import { PASSWORD_MIN } from "@/lib/password-rules";
import type { SetupInput } from "@/lib/validations/auth";

// The shared schema and zod load when the form is first checked or focused (lazy-resolver.ts).
const resolver = lazyResolver(async () => {
  const [{ zodResolver }, { setupSchema }] = await Promise.all([import("@hookform/resolvers/zod"), import("@/lib/validations/auth")]);
  return zodResolver(setupSchema);
});

export function SetupForm() {
  const [state, dispatch, pending] = useActionState(setupAction, null);
  const kept = { name: state?.values?.name ?? "", email: state?.values?.email ?? "", workspaceName: state?.values?.workspaceName ?? "" };
  const form = useForm<SetupInput>({ resolver, defaultValues: { ...kept, password: "" } });
  const { onSubmit, errorOf } = useValidatedPost(form, state, dispatch, ["password"]);

  return (
    <form action={dispatch} onSubmit={onSubmit} onFocus={resolver.preload} className="mt-6 space-y-4" noValidate>
      <FormError message={state?.error} />
      <Field label="Your name" autoComplete="name" defaultValue={kept.name} error={errorOf("name")} {...form.register("name")} />
      <Field label="Email" type="email" autoComplete="username" defaultValue={kept.email} error={errorOf("email")} {...form.register("email")} />
      <Field
        label="Password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters.`}
        error={errorOf("password")}
        {...form.register("password")}
      />
      <Field label="Agency workspace name" defaultValue={kept.workspaceName} error={errorOf("workspaceName")} {...form.register("workspaceName")} />
      <Button type="submit" className="w-full" pending={pending}>
        {pending ? "Creating…" : "Create owner and workspace"}
      </Button>
    </form>
  );
}
