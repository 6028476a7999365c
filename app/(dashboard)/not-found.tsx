// Not found inside the dashboard (an unknown brand or endpoint): rendered inside the layout's
// <main>, so it must not bring a second one.
import Link from "next/link";

export default function DashboardNotFound() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">This page doesn&apos;t exist, or it isn&apos;t in your workspace.</p>
      <Link href="/brands" className="mt-4 inline-block text-sm font-medium text-indigo-700 underline">
        Back to brands
      </Link>
    </div>
  );
}
