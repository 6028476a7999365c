import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">This page doesn&apos;t exist, or it isn&apos;t in your workspace.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-indigo-700 underline">
        Back to Keyport
      </Link>
    </main>
  );
}
