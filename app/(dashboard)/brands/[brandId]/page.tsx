import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AttentionBanner } from "@/components/accounts/attention-banner";
import { BrandAccounts } from "@/components/accounts/brand-accounts";
import { BrandRowActions } from "@/components/brands/brand-row-actions";
import { PostsAndQuota } from "@/components/posts/brand-composer";
import { BrandXApp } from "@/components/x-credentials/brand-x-app";
import { brandAttention } from "@/lib/data/attention";
import { getBrand } from "@/lib/data/brands";
import { effectiveCredential } from "@/lib/data/x-credentials";
import { requireUser, roleAtLeast } from "@/lib/session";

export const metadata: Metadata = { title: "Brand" };

export default async function BrandPage({ params }: { params: Promise<{ brandId: string }> }) {
  const user = await requireUser();
  const { brandId } = await params;
  const brand = await getBrand(user.workspaceId, brandId);
  if (!brand) notFound();
  const canManage = roleAtLeast(user.role, "ADMIN");
  const [attention, effective] = await Promise.all([brandAttention(user.workspaceId, brand.id), effectiveCredential(user.workspaceId, brand.id)]);
  return (
    <div className="space-y-6">
      <Link href="/brands" className="text-sm text-indigo-700 hover:underline">
        ← All brands
      </Link>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">{brand.name}</h1>
        {canManage ? <BrandRowActions brand={{ id: brand.id, name: brand.name }} afterDelete="/brands" /> : null}
      </div>
      <AttentionBanner attention={attention} appSettingsHref={effective.source === "brand" ? "#x-app-heading" : "/settings/x"} />
      <BrandXApp brandId={brand.id} brandName={brand.name} canManage={canManage} />
      <BrandAccounts brandId={brand.id} />
      <PostsAndQuota workspaceId={user.workspaceId} brandId={brand.id} />
    </div>
  );
}
