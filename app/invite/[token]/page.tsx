import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { lookupInvite } from "@/lib/data/members";
import { currentUser } from "@/lib/session";
import { AcceptInviteForm, JoinInviteForm } from "./accept-form";

// "same-origin", not the site-wide "no-referrer": under no-referrer a browser posting the form
// without JavaScript sends `Origin: null`, which Next refuses for a server action. Same-origin
// still sends nothing, not even the link's token, to any other site.
export const metadata: Metadata = { title: "Join a workspace", referrer: "same-origin" };
export const dynamic = "force-dynamic";

const GONE: Record<string, string> = {
  used: "This invite link has already been used.",
  expired: "This invite link has expired.",
  revoked: "This invite link was withdrawn.",
  unknown: "This invite link is not valid.",
};

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await lookupInvite(token);
  const user = await currentUser();
  return (
    <main className="mx-auto flex min-h-[80vh] max-w-md flex-col justify-center px-4 py-12">
      <p className="mb-6 text-center text-2xl font-bold tracking-tight text-indigo-700">Keyport</p>
      <Card>
        {invite.status !== "valid" ? (
          <>
            <h1 className="text-xl font-semibold">Invite unavailable</h1>
            <p className="mt-2 text-sm text-slate-600">{GONE[invite.status]} Ask the person who invited you for a new link.</p>
          </>
        ) : invite.existingUser && user?.email !== invite.email ? (
          <>
            <h1 className="text-xl font-semibold">Join {invite.workspaceName}</h1>
            <p className="mt-2 text-sm text-slate-600">
              {invite.email} already has a Keyport account. Sign in with it, then open this link again to join.
            </p>
            <Link href="/login" className="mt-4 inline-block text-sm font-medium text-indigo-700 underline">
              Sign in
            </Link>
          </>
        ) : (
          <>
            <h1 className="text-xl font-semibold">Join {invite.workspaceName}</h1>
            <p className="mt-1 text-sm text-slate-600">
              You were invited as <strong>{invite.role.toLowerCase()}</strong> with {invite.email}.
            </p>
            {invite.existingUser ? <JoinInviteForm token={token} /> : <AcceptInviteForm token={token} email={invite.email} />}
          </>
        )}
      </Card>
    </main>
  );
}
