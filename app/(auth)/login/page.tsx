import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card } from "@/components/ui/card";
import { isSetupComplete } from "@/lib/data/setup";
import { currentUser } from "@/lib/session";
import { LoginForm } from "./login-form";

// Its form posts to a server action; without JavaScript the browser sends that POST itself, with
// `Origin: null` under the site-wide "no-referrer", which Next refuses. Same-origin sends the
// real origin to us and nothing to anyone else.
export const metadata: Metadata = { title: "Sign in", referrer: "same-origin" };
export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (!(await isSetupComplete())) redirect("/setup");
  if (await currentUser()) redirect("/brands");
  return (
    <Card>
      <h1 className="text-xl font-semibold">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">Use the email and password of your Keyport account.</p>
      <LoginForm />
    </Card>
  );
}
