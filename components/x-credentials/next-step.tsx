// After the X app is saved: what to do next (create a brand, then connect an account to it).
import { ArrowRight } from "lucide-react";
import Link from "next/link";
import type { NextStep } from "@/lib/data/onboarding";

export function NextStepPanel({ next }: { next: NonNullable<NextStep> }) {
  return (
    <section aria-labelledby="next-step-heading" className="rounded-lg border border-indigo-200 bg-indigo-50 p-4 text-sm sm:p-6" data-testid="next-step">
      <h2 id="next-step-heading" className="text-base font-semibold text-indigo-950">
        Next step
      </h2>
      {next.kind === "create-brand" ? (
        <p className="mt-1 text-indigo-950">
          The X app is in place. Create a brand for your first client, then connect its X account.{" "}
          <Link href="/brands" className="inline-flex items-center gap-1 font-medium text-indigo-800 underline">
            Create a brand <ArrowRight className="size-4" aria-hidden />
          </Link>
        </p>
      ) : (
        <p className="mt-1 text-indigo-950">
          Connect an X account to {next.brandName}, or send the client a connect link from the brand&apos;s page.{" "}
          <Link href={`/brands/${next.brandId}`} className="inline-flex items-center gap-1 font-medium text-indigo-800 underline">
            Connect an account to {next.brandName} <ArrowRight className="size-4" aria-hidden />
          </Link>
        </p>
      )}
    </section>
  );
}
