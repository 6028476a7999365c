// A connection outcome as a message box: what happened, what to do, and the way to do it.
import type { ReactNode } from "react";
import type { Notice } from "@/lib/connections/outcomes";
import { cn } from "@/lib/utils";
import { ConnectForm } from "./connect-controls";

const TONE = {
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  warning: "border-amber-300 bg-amber-50 text-amber-950",
  error: "border-red-200 bg-red-50 text-red-900",
} as const;

export function OutcomeBox({ notice, brandId, guideHref, children }: { notice: Notice; brandId?: string; guideHref?: string; children?: ReactNode }) {
  return (
    <div role={notice.tone === "success" ? "status" : "alert"} className={cn("rounded-md border px-4 py-3 text-sm", TONE[notice.tone])} data-testid="connect-outcome">
      <div className="flex items-start justify-between gap-3">
        <p className="font-semibold">{notice.title}</p>
        {children}
      </div>
      <p className="mt-1">{notice.body}</p>
      {notice.fix ? <p className="mt-1">{notice.fix}</p> : null}
      {(notice.actions.includes("retry") && brandId) || (notice.actions.includes("guide") && guideHref) ? (
        <p className="mt-2 flex flex-wrap gap-4 font-medium">
          {notice.actions.includes("retry") && brandId ? (
            <ConnectForm brandId={brandId} variant="link" size="inline">
              Connect again
            </ConnectForm>
          ) : null}
          {notice.actions.includes("guide") && guideHref ? (
            <a href={guideHref} className="underline">
              Open the X app setup guide
            </a>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
