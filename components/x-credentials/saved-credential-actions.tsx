"use client";
// Test the saved credentials again, or remove them after seeing which accounts depend on them.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { removeXCredentialsAction, testXCredentialsAction } from "@/lib/actions/x-credentials";
import type { Dependents } from "@/lib/data/x-credentials";
import { DependentsText } from "./credentials-form";

type Props = { brandId?: string | undefined; dependents: Dependents; removeLabel: string; removeConsequence: string };

export function SavedCredentialActions({ brandId, dependents: initial, removeLabel, removeConsequence }: Props) {
  const router = useRouter();
  const [testing, setTesting] = useState(false);
  const [dependents, setDependents] = useState(initial);
  const scope = brandId ? { brandId } : {};
  return (
    <div className="flex flex-wrap gap-2">
      <Button
        type="button"
        variant="secondary"
        pending={testing}
        onClick={async () => {
          setTesting(true);
          try {
            const result = await testXCredentialsAction(scope);
            if (!result.ok) toast.error(result.error);
            else if (result.data.status === "valid") toast.success("X accepted the saved credentials.");
            else if (result.data.status === "invalid") toast.error("X rejected the saved credentials.");
            else toast.warning(result.data.message);
            router.refresh();
          } catch {
            toast.error("Keyport could not run the test. Try again.");
          } finally {
            setTesting(false);
          }
        }}
      >
        {testing ? "Testing…" : "Test saved credentials"}
      </Button>
      <ConfirmDialog
        trigger={
          <Button type="button" variant="ghost-danger">
            {removeLabel}
          </Button>
        }
        title={`${removeLabel}?`}
        description={
          <div className="space-y-2" data-testid="remove-impact">
            <DependentsText dependents={dependents} />
            <p>{removeConsequence}</p>
          </div>
        }
        confirmLabel={removeLabel}
        onConfirm={async () => {
          const result = await removeXCredentialsAction({ ...scope, confirmAccountsMarked: dependents.total });
          if (!result.ok) {
            toast.error(result.error);
            return false;
          }
          if (result.data.status === "confirm") {
            setDependents(result.data.dependents);
            toast.warning("The number of dependent accounts changed meanwhile. Check it and confirm again.");
            return false;
          }
          const n = result.data.accountsMarked;
          toast.success(`Credentials removed.${n > 0 ? ` ${n} account${n === 1 ? "" : "s"} now need${n === 1 ? "s" : ""} reconnecting.` : ""}`);
          router.refresh();
          return true;
        }}
      />
    </div>
  );
}
