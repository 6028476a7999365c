import { redirect } from "next/navigation";
import { isSetupComplete } from "@/lib/data/setup";
import { currentUser } from "@/lib/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  if (!(await isSetupComplete())) redirect("/setup");
  redirect((await currentUser()) ? "/brands" : "/login");
}
