"use client";
// The controls that start a connection. Starting is a full-page trip through Keyport's start
// route to X, which takes a moment (the credentials are opened, an attempt is stored): until the
// browser leaves, the control shows it is working and ignores further clicks, so a double click
// doesn't start a second attempt. Coming back with the Back button (bfcache) resets it.
import { Loader2 } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/** A plain link (never prefetched: prefetching would start a connection) with a pending state. */
export function ConnectLink({ href, className, children, "aria-label": ariaLabel }: { href: string; className?: string; children: ReactNode; "aria-label"?: string }) {
  const [pending, setPending] = usePending();
  return (
    <a
      href={href}
      aria-label={ariaLabel}
      aria-disabled={pending || undefined}
      aria-busy={pending || undefined}
      className={cn(className, pending && "pointer-events-none opacity-60")}
      onClick={(event) => {
        if (pending) return event.preventDefault();
        // A new tab or window leaves this page where it is.
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        setPending(true);
      }}
    >
      {pending ? <Loader2 className="size-4 animate-spin" aria-hidden /> : null}
      {children}
    </a>
  );
}

/** The submit button of a plain HTML form (the hosted link page's): pending once the form is sent. */
export function ConnectSubmitButton({ children, className }: { children: ReactNode; className?: string }) {
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
      <Button type="submit" className={className} pending={pending}>
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
