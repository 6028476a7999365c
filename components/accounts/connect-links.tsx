"use client";
// "Send this to your client": make a single-use connect link, see earlier links, withdraw one.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { FormError } from "@/components/ui/form-error";
import { createConnectLinkAction, revokeConnectLinkAction } from "@/lib/actions/connect-links";
import type { LinkStatus } from "@/lib/data/connect-links";
import { LINK_TTL_CHOICES, LINK_TTL_DEFAULT_HOURS } from "@/lib/validations/connect-link-ttl";
import { formatWhen } from "@/lib/format";

export type ConnectLinkRow = {
  id: string;
  status: LinkStatus;
  createdAt: string;
  expiresAt: string;
  createdByName: string;
  usedAt: string | null;
  revokedAt: string | null;
  accountUsername: string | null;
};

const STATUS_TEXT: Record<LinkStatus, string> = { active: "Active", used: "Used", expired: "Expired", revoked: "Withdrawn" };

export function ConnectLinks({ brandId, links }: { brandId: string; links: ConnectLinkRow[] }) {
  const router = useRouter();
  const selectId = useId();
  const [hours, setHours] = useState<number>(LINK_TTL_DEFAULT_HOURS);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ url: string; expiresAt: string } | null>(null);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await createConnectLinkAction({ brandId, expiresInHours: hours }).finally(() => setPending(false));
    if (!result.ok) {
      setError(result.fieldErrors?.expiresInHours ?? result.error);
      return;
    }
    setCreated(result.data);
    router.refresh();
  }

  return (
    <section aria-labelledby={`${selectId}-heading`} className="space-y-3 border-t border-slate-100 pt-4">
      <h3 id={`${selectId}-heading`} className="font-semibold">
        Connect links for clients
      </h3>
      <p className="text-sm text-slate-600">
        Send a link to the account owner: they connect their X account to this brand without a Keyport account. Each link works once.
      </p>
      <form onSubmit={create} className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor={selectId} className="block text-sm font-medium text-slate-800">
            Link valid for
          </label>
          <select id={selectId} value={hours} onChange={(e) => setHours(Number(e.target.value))} className="h-8 rounded-md border border-slate-300 bg-white px-2 text-sm">
            {LINK_TTL_CHOICES.map((h) => (
              <option key={h} value={h}>
                {h < 24 ? `${h} hour${h === 1 ? "" : "s"}` : `${h / 24} day${h === 24 ? "" : "s"}`}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" size="sm" variant="secondary" pending={pending}>
          Create connect link
        </Button>
      </form>
      <FormError message={error} />
      {created ? (
        <div className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 p-3 text-sm" role="status">
          <p className="font-medium">Copy this link now — Keyport won&apos;t show it again. It expires {formatWhen(created.expiresAt)}.</p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs" data-testid="connect-link-url">
              {created.url}
            </code>
            <CopyButton value={created.url} label="Copy link" />
          </div>
        </div>
      ) : null}
      {links.length > 0 ? (
        <table className="w-full text-sm">
          <caption className="sr-only">Connect links</caption>
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-1 font-medium">Created</th>
              <th scope="col" className="py-1 font-medium">Status</th>
              <th scope="col" className="py-1 font-medium">Expires</th>
              <th scope="col" className="py-1 text-right font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {links.map((link) => (
              <tr key={link.id} className="border-t border-slate-100" data-testid="connect-link-row">
                <td className="py-1.5">
                  {formatWhen(link.createdAt)} by {link.createdByName}
                </td>
                <td className="py-1.5">
                  {STATUS_TEXT[link.status]}
                  {link.status === "used" && link.accountUsername ? ` — connected @${link.accountUsername}` : ""}
                </td>
                <td className="py-1.5">{formatWhen(link.expiresAt)}</td>
                <td className="py-1.5 text-right">
                  {link.status === "active" ? <RevokeLinkButton linkId={link.id} onDone={() => router.refresh()} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function RevokeLinkButton({ linkId, onDone }: { linkId: string; onDone: () => void }) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      size="sm"
      variant="ghost-danger"
      pending={pending}
      onClick={async () => {
        setPending(true);
        const result = await revokeConnectLinkAction({ linkId }).finally(() => setPending(false));
        if (!result.ok) toast.error(result.error);
        else toast.success("Link withdrawn: it can no longer be used.");
        onDone();
      }}
    >
      Withdraw
    </Button>
  );
}
