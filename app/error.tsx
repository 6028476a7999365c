"use client";
// Unexpected failures land here. Only the digest is shown: it matches the server log line,
// and no error message (which could carry data) reaches the browser.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-md px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong on our side</h1>
      <p className="mt-2 text-sm text-slate-600">
        Nothing you entered was lost. Try again; if it keeps happening, give your administrator this reference:{" "}
        <code className="font-mono">{error.digest ?? "none"}</code>.
      </p>
      <button onClick={reset} className="mt-4 rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white">
        Try again
      </button>
    </main>
  );
}
