"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createBrandAction } from "@/lib/actions/brands";
import { createBrandSchema, type CreateBrandInput } from "@/lib/validations/brands";

export function CreateBrandForm() {
  const form = useForm<CreateBrandInput>({ resolver: zodResolver(createBrandSchema), defaultValues: { name: "" } });
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
    <form onSubmit={onSubmit} className="flex flex-wrap items-start gap-2 rounded-lg border border-slate-200 bg-white p-4" noValidate>
      <div className="min-w-64 flex-1">
        <Field label="New brand name" error={errors.name?.message} {...form.register("name")} />
      </div>
      <Button type="submit" className="mt-6" pending={isSubmitting}>
        Create brand
      </Button>
    </form>
  );
}
