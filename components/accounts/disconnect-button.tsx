"use client";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { disconnectAccountAction } from "@/lib/actions/accounts";

export function DisconnectButton({ accountId, username }: { accountId: string; username: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger={
        <Button size="sm" variant="ghost-danger" aria-label={`Disconnect @${username}`}>
          Disconnect
        </Button>
      }
      title={`Disconnect @${username}?`}
      description={
        <p>
          Keyport will ask X to revoke its access to @{username} and delete the account&apos;s tokens. Posting and everything else for this account stops until
          someone connects it again. The record stays in the list for history.
        </p>
      }
      confirmLabel={`Disconnect @${username}`}
      onConfirm={async () => {
        // An unexpected failure (network, server error) must end the pending state with a message,
        // not leave the dialog spinning or fail silently.
        const result = await disconnectAccountAction({ accountId }).catch(() => null);
        if (!result) {
          toast.error(`Disconnecting @${username} failed unexpectedly. Reload the page to see the account's state, then try again if it is still connected.`);
          return false;
        }
        if (!result.ok) {
          toast.error(result.error);
          return false;
        }
        if (result.data.revokedAtX) toast.success(result.data.message);
        else toast.warning(result.data.message, { duration: 20_000 });
        router.refresh();
        return true;
      }}
    />
  );
}
