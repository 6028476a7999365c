"use client";
// The controls that start a connection. Starting is a POST (a plain HTML form, so it works before
// the page has hydrated) to Keyport's start route, which answers with a redirect to X; that takes a
// moment (the credentials are opened, an attempt is stored): until the browser leaves, the button
// shows it is working and is disabled, so a double click doesn't start a second attempt. Coming
// back with the Back button (bfcache) resets it.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";

export const CONNECT_START_PATH = "/api/integrations/twitter/connect";

type Look = { variant?: "primary" | "secondary" | "ghost" | "link"; size?: "sm" | "md" | "inline"; className?: string };

/** Connect (or reconnect) an X account to a brand: a one-button form posting to the start route. */
export function ConnectForm({ brandId, children, "aria-label": ariaLabel, ...look }: Look & { brandId: string; children: ReactNode; "aria-label"?: string }) {
  return (
    <form method="post" action={CONNECT_START_PATH} className="contents">
      <input type="hidden" name="brandId" value={brandId} />
      <ConnectSubmitButton aria-label={ariaLabel} {...look}>
        {children}
      </ConnectSubmitButton>
    </form>
  );
}

/** Connecting is refused (X rejects the app's credentials): why, and where the fix is. */
export type Blocked = { id: string; why: string; action: string; href: string | null };

/** In place of a Connect/Reconnect form while connecting waits: a disabled button that says why (the text is at `blocked.id`). */
export function ConnectBlocked({ blocked, children, "aria-label": ariaLabel, ...look }: Look & { blocked: Blocked; children: ReactNode; "aria-label"?: string }) {
  return (
    <Button type="button" disabled aria-disabled aria-label={ariaLabel} aria-describedby={blocked.id} title={blocked.why} {...look} variant="secondary" data-testid="connect-waits">
      {children}
    </Button>
  );
}

/** The submit button of a plain HTML form that starts a connection: pending once the form is sent. */
export function ConnectSubmitButton({ children, className, variant, size, "aria-label": ariaLabel }: Look & { children: ReactNode; "aria-label"?: string }) {
  const [pending, setPending] = usePending();
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const form = ref.current?.closest("form");
    if (!form) return;
    // Listening to the form's own submit event: by then the browser has committed to sending it.
    const onSubmit = () => setPending(true);
    form.addEventListener("submit", onSubmit);
    return () => form.removeEventListener("submit", onSubmit);
  }, [setPending]);
  return (
    <span ref={ref} className="contents">
      <Button type="submit" className={className} variant={variant} size={size} pending={pending} aria-label={ariaLabel}>
        {children}
      </Button>
    </span>
  );
}

function usePending() {
  const [pending, setPending] = useState(false);
  useEffect(() => {
    const reset = (event: PageTransitionEvent) => event.persisted && setPending(false);
    window.addEventListener("pageshow", reset);
    return () => window.removeEventListener("pageshow", reset);
  }, []);
  return [pending, setPending] as const;
}
