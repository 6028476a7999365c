// Rate-limit windows: fixed windows that start at the first request and follow the emulator's
// clock, keyed per endpoint and app (and user), so each app has its own limits.
import type { RateLimit } from "./types";

export type WindowState = { limit: number; remaining: number; resetSec: number };

export class RateWindows {
  private readonly windows = new Map<string, { resetAtMs: number; remaining: number }>();

  constructor(private readonly now: () => number) {}

  clear() {
    this.windows.clear();
  }

  /** Counts one request against the window; `allowed` is false (and nothing is counted) at zero. */
  take(key: string, limit: RateLimit): WindowState & { allowed: boolean } {
    const window = this.current(key, limit);
    if (window.remaining <= 0) return { ...view(window, limit), allowed: false };
    window.remaining--;
    return { ...view(window, limit), allowed: true };
  }

  peek(key: string, limit: RateLimit): WindowState {
    return view(this.current(key, limit), limit);
  }

  private current(key: string, limit: RateLimit) {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now >= window.resetAtMs) {
      window = { resetAtMs: now + limit.windowSeconds * 1000, remaining: limit.limit };
      this.windows.set(key, window);
    }
    return window;
  }
}

function view(window: { resetAtMs: number; remaining: number }, limit: RateLimit): WindowState {
  return { limit: limit.limit, remaining: Math.max(0, window.remaining), resetSec: Math.ceil(window.resetAtMs / 1000) };
}
