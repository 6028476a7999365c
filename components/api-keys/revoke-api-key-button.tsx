"use client";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { revokeApiKeyAction } from "@/lib/actions/api-keys";

export function RevokeApiKeyButton({ keyId, name, display }: { keyId: string; name: string; display: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="ghost-danger" aria-label={`Revoke ${name}`}>
          Revoke
        </Button>
      }
      title={`Revoke “${name}”?`}
      description={
        <p>
          Every tool using <code>{display}</code> stops working immediately, and this cannot be undone. Later attempts with it are refused and recorded in the audit log.
        </p>
      }
      confirmLabel="Revoke key"
      onConfirm={async () => {
        const result = await revokeApiKeyAction({ keyId });
        if (!result.ok) {
          toast.error(result.error);
          return false;
        }
        toast.success(`Key “${name}” revoked`);
        router.refresh();
        return true;
      }}
    />
  );
}
