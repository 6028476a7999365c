"use client";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { lazyResolver } from "@/components/forms/lazy-resolver";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { createInviteAction } from "@/lib/actions/members";
import { formatWhen } from "@/lib/format";
import type { CreateInviteInput } from "@/lib/validations/members";

// The shared schema and zod load when the form is first checked or focused (lazy-resolver.ts).
const resolver = lazyResolver(async () => {
  const [{ zodResolver }, { createInviteSchema }] = await Promise.all([import("@hookform/resolvers/zod"), import("@/lib/validations/members")]);
  return zodResolver(createInviteSchema);
});

export function InviteForm({ canInviteOwner }: { canInviteOwner: boolean }) {
  const [link, setLink] = useState<{ url: string; expiresAt: string } | null>(null);
  const form = useForm<CreateInviteInput>({ resolver, defaultValues: { email: "", role: "MEMBER" } });
  const { errors, isSubmitting } = form.formState;
  const onSubmit = form.handleSubmit(async (values) => {
    const result = await createInviteAction(values);
    if (!result.ok) {
      form.setError("email", { message: result.fieldErrors?.email ?? result.fieldErrors?.role ?? result.error });
      return;
    }
    setLink(result.data);
    form.reset();
  });
  return (
    <section aria-labelledby="invite-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="invite-heading" className="text-lg font-semibold">
        Invite someone
      </h2>
      <form onSubmit={onSubmit} onFocus={resolver.preload} className="flex flex-wrap items-start gap-3" noValidate>
        <div className="min-w-64 flex-1">
          <Field label="Email" type="email" error={errors.email?.message} {...form.register("email")} />
        </div>
        <div className="space-y-1">
          <label htmlFor="invite-role" className="block text-sm font-medium">
            Role
          </label>
          <select id="invite-role" className="h-10 rounded-md border border-slate-300 bg-white px-2 text-sm" {...form.register("role")}>
            <option value="MEMBER">Member (view)</option>
            <option value="ADMIN">Admin (manage)</option>
            {canInviteOwner ? <option value="OWNER">Owner</option> : null}
          </select>
        </div>
        <Button type="submit" className="mt-6" pending={isSubmitting}>
          Create invite link
        </Button>
      </form>
      {link ? (
        <div className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 p-3 text-sm" role="status">
          <p>
            Send this link to the person you invited. It works once and expires on{" "}
            {formatWhen(link.expiresAt)}. It won&apos;t be shown again.
          </p>
          <div className="flex items-center gap-2">
            <code className="flex-1 truncate rounded bg-white px-2 py-1 font-mono text-xs" data-testid="invite-link">
              {link.url}
            </code>
            <CopyButton value={link.url} label="Copy link" />
          </div>
        </div>
      ) : null}
    </section>
  );
}
