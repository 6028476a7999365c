import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { isSetupComplete } from "@/lib/data/setup";
import { SetupForm } from "./setup-form";

// Its form posts to a server action; without JavaScript the browser sends that POST itself, with
// `Origin: null` under the site-wide "no-referrer", which Next refuses. Same-origin sends the
// real origin to us and nothing to anyone else.
export const metadata: Metadata = { title: "Set up Keyport", referrer: "same-origin" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (await isSetupComplete()) {
    return (
      <Card>
        <h1 className="text-xl font-semibold">Keyport is already set up</h1>
        <p className="mt-2 text-sm text-slate-600">
          Setup runs once, for the first owner. Ask an owner or admin of your agency for an invite link.
        </p>
        <Link href="/login" className="mt-4 inline-block text-sm font-medium text-indigo-700 underline">
          Go to sign in
        </Link>
      </Card>
    );
  }
  return (
    <Card>
      <h1 className="text-xl font-semibold">Welcome to Keyport</h1>
      <p className="mt-1 text-sm text-slate-600">Create the owner account and your agency&apos;s workspace.</p>
      <SetupForm />
    </Card>
  );
}
