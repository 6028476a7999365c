"use client";
// A webhook signing secret, shown the one time it exists in plain text (after creating an
// endpoint or rotating its secret). Keyport stores it sealed and never shows it again.
import Link from "next/link";
import { CopyButton } from "@/components/ui/copy-button";

export function SecretReveal({ secret, title, links = [], note }: { secret: string; title: string; links?: { href: string; label: string }[]; note?: string }) {
  return (
    <div className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50 p-4 text-sm" role="status" data-testid="webhook-secret">
      <p className="font-semibold">{title}</p>
      <p>Your receiver verifies each request with this secret (any Standard Webhooks library does it). It won&apos;t be shown again.{note ? ` ${note}` : ""}</p>
      <div className="flex items-center gap-2">
        <code className="flex-1 rounded bg-white px-2 py-1 font-mono text-xs break-all" data-testid="webhook-secret-value">
          {secret}
        </code>
        <CopyButton value={secret} label="Copy secret" />
      </div>
      {links.map((l) => (
        <Link key={l.href} href={l.href} className="font-medium text-indigo-800 underline">
          {l.label}
        </Link>
      ))}
    </div>
  );
}
