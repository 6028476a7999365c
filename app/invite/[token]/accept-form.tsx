"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { acceptInviteAction } from "@/lib/actions/auth";
import { PASSWORD_MIN } from "@/lib/password-rules";
import { acceptInviteSchema, type AcceptInviteInput } from "@/lib/validations/auth";

export function AcceptInviteForm({ token, email, existingUser }: { token: string; email: string; existingUser: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  // An existing, signed-in account only confirms; name and password are not asked again.
  const placeholder = existingUser ? { name: "existing", password: "x".repeat(PASSWORD_MIN) } : { name: "", password: "" };
  const form = useForm<AcceptInviteInput>({ resolver: zodResolver(acceptInviteSchema), defaultValues: { token, ...placeholder } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await acceptInviteAction(values);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    router.replace("/brands");
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
      <FormError message={error} />
      <input type="hidden" {...form.register("token")} />
      {existingUser ? null : (
        <>
          <p className="text-sm text-slate-600">
            Your sign-in email will be <strong>{email}</strong>.
          </p>
          <Field label="Your name" autoComplete="name" error={errors.name?.message} {...form.register("name")} />
          <Field
            label="Choose a password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN} characters.`}
            error={errors.password?.message}
            {...form.register("password")}
          />
        </>
      )}
      <Button type="submit" className="w-full" pending={isSubmitting}>
        {existingUser ? "Join workspace" : "Create account and join"}
      </Button>
    </form>
  );
}
