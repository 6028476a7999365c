"use client";
import { useActionState } from "react";
import { useForm } from "react-hook-form";
import { lazyResolver } from "@/components/forms/lazy-resolver";
import { useValidatedPost } from "@/components/forms/use-validated-post";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { acceptInviteAction, joinInviteAction } from "@/lib/actions/auth";
import { PASSWORD_MIN } from "@/lib/password-rules";
import type { AcceptInviteInput } from "@/lib/validations/auth";

/** A new account: the invitee chooses a name and a password. */

// The shared schema and zod load when the form is first checked or focused (lazy-resolver.ts).
const resolver = lazyResolver(async () => {
  const [{ zodResolver }, { acceptInviteSchema }] = await Promise.all([import("@hookform/resolvers/zod"), import("@/lib/validations/auth")]);
  return zodResolver(acceptInviteSchema);
});

export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const [state, dispatch, pending] = useActionState(acceptInviteAction, null);
  const name = state?.values?.name ?? "";
  const form = useForm<AcceptInviteInput>({ resolver, defaultValues: { token, name, password: "" } });
  const { onSubmit, errorOf } = useValidatedPost(form, state, dispatch, ["password"]);

  return (
    <form action={dispatch} onSubmit={onSubmit} onFocus={resolver.preload} className="mt-6 space-y-4" noValidate>
      <FormError message={state?.error ?? errorOf("token")} />
      <input type="hidden" defaultValue={token} {...form.register("token")} />
      <p className="text-sm text-slate-600">
        Your sign-in email will be <strong>{email}</strong>.
      </p>
      <Field label="Your name" autoComplete="name" defaultValue={name} error={errorOf("name")} {...form.register("name")} />
      <Field
        label="Choose a password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters.`}
        error={errorOf("password")}
        {...form.register("password")}
      />
      <Button type="submit" className="w-full" pending={pending}>
        Create account and join
      </Button>
    </form>
  );
}

/** The invite's email already has an account, and it is the one signed in: only a confirmation. */
export function JoinInviteForm({ token }: { token: string }) {
  const [state, dispatch, pending] = useActionState(joinInviteAction, null);
  return (
    <form action={dispatch} className="mt-6 space-y-4">
      <FormError message={state?.error} />
      <input type="hidden" name="token" value={token} />
      <Button type="submit" className="w-full" pending={pending}>
        Join workspace
      </Button>
    </form>
  );
}
