"use client";
// What happened to the connection this page was sent back with (?connect=<attempt id>, or
// ?connect_error=<code> when it never reached X). The words come from the server or from a fixed
// table; nothing in the URL is displayed.
import { X } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { describeStartError, type Notice } from "@/lib/connections/outcomes";
import { OutcomeBox } from "./outcome-box";

export function ConnectNotice({ notices, brandId, guideHref }: { notices: { attemptId: string; notice: Notice }[]; brandId: string; guideHref: string }) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const attemptId = params.get("connect");
  const notice = attemptId ? (notices.find((n) => n.attemptId === attemptId)?.notice ?? null) : describeStartError(params.get("connect_error"));
  if (!notice) return null;
  return (
    <OutcomeBox notice={notice} brandId={brandId} guideHref={guideHref}>
      <button
        type="button"
        className="rounded p-1 text-current opacity-70 hover:opacity-100"
        aria-label="Dismiss this message"
        onClick={() => router.replace(pathname, { scroll: false })}
      >
        <X className="size-4" aria-hidden />
      </button>
    </OutcomeBox>
  );
}
