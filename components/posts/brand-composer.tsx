// The brand page's "Post to X" card: the composer for the brand's ACTIVE accounts.
import { Card } from "@/components/ui/card";
import { priceTable } from "@/lib/connections/usage";
import { activeAccountsOfBrand } from "@/lib/data/posts";
import { formatUsd } from "@/lib/x/pricing";
import { QuotaPanel } from "@/components/usage/quota-panel";
import { Composer } from "./composer";

export async function BrandComposer({ workspaceId, brandId }: { workspaceId: string; brandId: string }) {
  const accounts = await activeAccountsOfBrand(workspaceId, brandId);
  const prices = priceTable();
  return (
    <Card className="space-y-4" role="region" aria-labelledby="composer-heading">
      <h2 id="composer-heading" className="text-lg font-semibold">
        Post to X
      </h2>
      {accounts.length ? (
        <Composer brandId={brandId} accounts={accounts.map((a) => ({ id: a.id, username: a.username }))} prices={{ post: formatUsd(prices.post), postUrl: formatUsd(prices["post-url"]) }} />
      ) : (
        <p className="text-sm text-slate-600">No active account to post from. Connect an account (or reconnect one) below, then post from here.</p>
      )}
    </Card>
  );
}

/** The brand page's one entry: the composer, then the quota of the brand's own app (when it has one). */
export async function PostsAndQuota({ workspaceId, brandId }: { workspaceId: string; brandId: string }) {
  return (
    <>
      <BrandComposer workspaceId={workspaceId} brandId={brandId} />
      <QuotaPanel workspaceId={workspaceId} brandId={brandId} />
    </>
  );
}
