"use client";
// "Check now" for one account or a whole brand: asks X whether the grant still works.
import { RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { checkAccountAction, checkBrandAccountsAction, type CheckSummary } from "@/lib/actions/account-checks";
import type { ActionResult } from "@/lib/actions/result";

function useCheck() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const run = async (call: () => Promise<ActionResult<CheckSummary>>) => {
    setPending(true);
    try {
      const result = await call();
      if (!result.ok) toast.error(result.error);
      else toast[result.data.tone](result.data.message);
      router.refresh();
    } catch {
      toast.error("Keyport could not run the check. Try again.");
    } finally {
      setPending(false);
    }
  };
  return { pending, run };
}

export function CheckAccountButton({ accountId, username }: { accountId: string; username: string }) {
  const { pending, run } = useCheck();
  return (
    <Button type="button" size="sm" variant="secondary" pending={pending} aria-label={`Check now: @${username}`} onClick={() => run(() => checkAccountAction({ accountId }))}>
      {pending ? null : <RefreshCw className="size-4" aria-hidden />}
      {pending ? "Checking…" : "Check now"}
    </Button>
  );
}

export function CheckBrandAccountsButton({ brandId, disabledReason }: { brandId: string; disabledReason?: string | undefined }) {
  const { pending, run } = useCheck();
  const reasonId = `check-all-reason-${brandId}`;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button
        type="button"
        size="sm"
        variant="secondary"
        pending={pending}
        disabled={Boolean(disabledReason)}
        aria-describedby={disabledReason ? reasonId : undefined}
        onClick={() => run(() => checkBrandAccountsAction({ brandId }))}
      >
        {pending ? null : <RefreshCw className="size-4" aria-hidden />}
        {pending ? "Checking accounts…" : "Check all with X"}
      </Button>
      {disabledReason ? (
        <span id={reasonId} className="text-xs text-slate-600">
          {disabledReason}
        </span>
      ) : null}
    </span>
  );
}
