// The brand page's "X accounts" section: connected accounts, connect, hosted links.
export function BrandAccounts({ brandId }: { brandId: string }) {
  return (
    <section aria-labelledby="accounts-heading" className="rounded-lg border border-slate-200 bg-white p-6" data-brand={brandId}>
      <h2 id="accounts-heading" className="text-lg font-semibold">
        X accounts
      </h2>
      <p className="mt-2 text-sm text-slate-600">No X accounts are connected to this brand yet.</p>
    </section>
  );
}
