"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { setupAction } from "@/lib/actions/auth";
import { PASSWORD_MIN } from "@/lib/password-rules";
import { setupSchema, type SetupInput } from "@/lib/validations/auth";

export function SetupForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<SetupInput>({
    resolver: zodResolver(setupSchema),
    defaultValues: { name: "", email: "", password: "", workspaceName: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const result = await setupAction(values);
    if (!result.ok) {
      setError(result.error);
      for (const [name, message] of Object.entries(result.fieldErrors ?? {})) {
        form.setError(name as keyof SetupInput, { message });
      }
      return;
    }
    router.replace("/brands");
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
      <FormError message={error} />
      <Field label="Your name" autoComplete="name" error={errors.name?.message} {...form.register("name")} />
      <Field label="Email" type="email" autoComplete="username" error={errors.email?.message} {...form.register("email")} />
      <Field
        label="Password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN} characters.`}
        error={errors.password?.message}
        {...form.register("password")}
      />
      <Field label="Agency workspace name" error={errors.workspaceName?.message} {...form.register("workspaceName")} />
      <Button type="submit" className="w-full" pending={isSubmitting}>
        {isSubmitting ? "Creating…" : "Create owner and workspace"}
      </Button>
    </form>
  );
}
