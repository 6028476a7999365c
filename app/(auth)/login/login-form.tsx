"use client";
import { useActionState } from "react";
import { useForm } from "react-hook-form";
import { lazyResolver } from "@/components/forms/lazy-resolver";
import { useValidatedPost } from "@/components/forms/use-validated-post";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { signInAction } from "@/lib/actions/auth";
import type { SignInInput } from "@/lib/validations/auth";

// The shared schema and zod load when the form is first checked or focused (lazy-resolver.ts).
const resolver = lazyResolver(async () => {
  const [{ zodResolver }, { signInSchema }] = await Promise.all([import("@hookform/resolvers/zod"), import("@/lib/validations/auth")]);
  return zodResolver(signInSchema);
});

export function LoginForm() {
  const [state, dispatch, pending] = useActionState(signInAction, null);
  const email = state?.values?.email ?? "";
  const form = useForm<SignInInput>({ resolver, defaultValues: { email, password: "" } });
  const { onSubmit, errorOf } = useValidatedPost(form, state, dispatch, ["password"]);

  return (
    <form action={dispatch} onSubmit={onSubmit} onFocus={resolver.preload} className="mt-6 space-y-4" noValidate>
      <FormError message={state?.error} />
      <Field label="Email" type="email" autoComplete="username" defaultValue={email} error={errorOf("email")} {...form.register("email")} />
      <Field label="Password" type="password" autoComplete="current-password" error={errorOf("password")} {...form.register("password")} />
      <Button type="submit" className="w-full" pending={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
