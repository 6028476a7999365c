import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { Toaster } from "sonner";
import { env } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Keyport", template: "%s · Keyport" },
  description: "Connect your clients' X accounts through your own X developer apps.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts must carry this response's CSP nonce (proxy.ts),
  // which a page prerendered at build time could not.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {env.xSandbox ? (
          <div role="status" className="bg-amber-400 px-4 py-1.5 text-center text-sm font-semibold text-amber-950" data-testid="sandbox-banner">
            Sandbox X — Keyport is talking to an X emulator at {new URL(env.X_API_BASE_URL).host}, not the real X.
          </div>
        ) : null}
        {children}
        <Toaster richColors closeButton position="top-right" />
      </body>
    </html>
  );
}
