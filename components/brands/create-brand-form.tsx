"use client";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { lazyResolver } from "@/components/forms/lazy-resolver";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createBrandAction } from "@/lib/actions/brands";
import type { CreateBrandInput } from "@/lib/validations/brands";

// The shared schema and zod load when the form is first checked or focused (lazy-resolver.ts).
const resolver = lazyResolver(async () => {
  const [{ zodResolver }, { createBrandSchema }] = await Promise.all([import("@hookform/resolvers/zod"), import("@/lib/validations/brands")]);
  return zodResolver(createBrandSchema);
});

export function CreateBrandForm() {
  const form = useForm<CreateBrandInput>({ resolver, defaultValues: { name: "" } });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await createBrandAction(values);
    if (!result.ok) {
      form.setError("name", { message: result.fieldErrors?.name ?? result.error });
      return;
    }
    toast.success(`Brand “${result.data.name}” created`);
    form.reset();
  });
  return (
    <form onSubmit={onSubmit} onFocus={resolver.preload} className="flex flex-wrap items-start gap-2 rounded-lg border border-slate-200 bg-white p-4" noValidate>
      <div className="min-w-64 flex-1">
        <Field label="New brand name" error={errors.name?.message} {...form.register("name")} />
      </div>
      <Button type="submit" className="mt-6" pending={isSubmitting}>
        Create brand
      </Button>
    </form>
  );
}
