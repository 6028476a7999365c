// How the last credentials test reads: valid, invalid (with the fix) or inconclusive.
import { AlertTriangle, CheckCircle2, XCircle } from "lucide-react";
import { formatWhen } from "@/lib/format";
import { cn } from "@/lib/utils";

export type TestView = { status: "valid" | "invalid" | "inconclusive"; message: string; at: string };

const STYLE = {
  valid: { icon: CheckCircle2, label: "Valid", box: "border-emerald-300 bg-emerald-50 text-emerald-900" },
  invalid: { icon: XCircle, label: "Invalid", box: "border-red-300 bg-red-50 text-red-900" },
  inconclusive: { icon: AlertTriangle, label: "Inconclusive", box: "border-amber-300 bg-amber-50 text-amber-900" },
} as const;

export function TestResult({ result, live = false }: { result: TestView; live?: boolean }) {
  const style = STYLE[result.status];
  const Icon = style.icon;
  return (
    <div className={cn("flex gap-2 rounded-md border p-3 text-sm", style.box)} role={live ? "status" : undefined} data-testid="test-result" data-status={result.status}>
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div>
        <p className="font-semibold">
          {style.label}
          <span className="ml-2 font-normal opacity-80">
            tested <time dateTime={result.at}>{formatWhen(result.at)}</time>
          </span>
        </p>
        <p>{result.message}</p>
      </div>
    </div>
  );
}
