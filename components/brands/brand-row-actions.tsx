"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { lazyResolver } from "@/components/forms/lazy-resolver";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deleteBrandAction, renameBrandAction } from "@/lib/actions/brands";
import type { RenameBrandInput } from "@/lib/validations/brands";

// The shared schema and zod load when the form is first checked or focused (lazy-resolver.ts).
const resolver = lazyResolver(async () => {
  const [{ zodResolver }, { renameBrandSchema }] = await Promise.all([import("@hookform/resolvers/zod"), import("@/lib/validations/brands")]);
  return zodResolver(renameBrandSchema);
});

export function BrandRowActions({ brand, afterDelete }: { brand: { id: string; name: string }; afterDelete?: string }) {
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const form = useForm<RenameBrandInput>({ resolver, defaultValues: { brandId: brand.id, name: brand.name } });
  const { errors, isSubmitting } = form.formState;

  if (renaming) {
    const onSubmit = form.handleSubmit(async (values) => {
      const result = await renameBrandAction(values);
      if (!result.ok) {
        form.setError("name", { message: result.fieldErrors?.name ?? result.error });
        return;
      }
      toast.success("Brand renamed");
      setRenaming(false);
      router.refresh();
    });
    return (
      <form onSubmit={onSubmit} onFocus={resolver.preload} className="inline-flex flex-wrap items-start justify-end gap-2" noValidate>
        <div className="text-left">
          <label className="sr-only" htmlFor={`rename-${brand.id}`}>
            New name for {brand.name}
          </label>
          <input
            id={`rename-${brand.id}`}
            autoFocus
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? `rename-${brand.id}-error` : undefined}
            className="h-8 w-56 rounded-md border border-slate-300 px-2 text-sm"
            {...form.register("name")}
            onKeyDown={(e) => e.key === "Escape" && setRenaming(false)}
          />
          {errors.name ? (
            <p id={`rename-${brand.id}-error`} role="alert" className="mt-1 max-w-56 text-xs text-red-700">
              {errors.name.message}
            </p>
          ) : null}
        </div>
        <Button type="submit" size="sm" pending={isSubmitting}>
          Save
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={() => setRenaming(false)}>
          Cancel
        </Button>
      </form>
    );
  }

  return (
    <span className="inline-flex gap-2">
      <Button size="sm" variant="secondary" onClick={() => setRenaming(true)} aria-label={`Rename ${brand.name}`}>
        Rename
      </Button>
      <ConfirmDialog
        trigger={
          <Button size="sm" variant="ghost-danger" aria-label={`Delete ${brand.name}`}>
            Delete
          </Button>
        }
        title={`Delete “${brand.name}”?`}
        description={<p>The brand “{brand.name}” and everything connected to it will be removed. This can&apos;t be undone.</p>}
        confirmLabel={`Delete ${brand.name}`}
        onConfirm={async () => {
          const result = await deleteBrandAction({ brandId: brand.id });
          if (!result.ok) {
            toast.error(result.error);
            return false;
          }
          toast.success(`Brand “${brand.name}” deleted`);
          if (afterDelete) router.push(afterDelete);
          else router.refresh();
          return true;
        }}
      />
    </span>
  );
}
