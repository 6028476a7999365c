// "Rejected by X": the one state an app is in after X refused its credentials (a refresh answered
// 401 and a re-test confirmed it). It replaces the last test's verdict — a "Valid" from before the
// secret was regenerated is no longer true — and its primary action is replacing the credentials.
import { XCircle } from "lucide-react";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import type { CredentialRejected } from "@/lib/data/x-credentials";
import { formatWhen } from "@/lib/format";
import { cn } from "@/lib/utils";

const WHY: Record<CredentialRejected["reason"], string> = {
  "credentials-rejected": "X refuses the app's Client ID or Client Secret — usually because the secret was regenerated in the developer portal.",
  "not-enrolled": "X says the app is not attached to a Project with API access (client-not-enrolled).",
};

export function RejectedNotice({ rejected, replaceHref, instance = false }: { rejected: CredentialRejected; replaceHref: string | null; instance?: boolean }) {
  return (
    <div className="flex gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-testid="credentials-rejected" data-reason={rejected.reason}>
      <XCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="space-y-1">
        <p className="font-semibold">
          Rejected by X
          <span className="ml-2 font-normal opacity-80">
            since <time dateTime={rejected.at.toISOString()}>{formatWhen(rejected.at)}</time>
          </span>
        </p>
        <p>{WHY[rejected.reason]}</p>
        {rejected.xError ? (
          <p>
            X answered: <code className="font-mono">{rejected.xError}</code>
          </p>
        ) : null}
        <p>
          {instance
            ? "Keyport starts no connections through this app until the operator updates KEYPORT_X_CLIENT_ID / KEYPORT_X_CLIENT_SECRET, or you save your own app."
            : "Keyport starts no connections through this app until its credentials are replaced; then reconnect the accounts that need it."}
        </p>
        {replaceHref ? (
          <p className="pt-1">
            <Link href={replaceHref} className={cn(buttonVariants({ size: "sm" }))}>
              {instance ? "Add your own credentials" : "Replace credentials"}
            </Link>
          </p>
        ) : null}
      </div>
    </div>
  );
}
