import { clsx, type ClassValue } from "clsx";

/**
 * Joins class names; it does not resolve conflicts (no tailwind-merge: ~9 kB gzip in the first
 * load of every page with a button). Two utilities for the same property (`text-red-700` after a
 * variant's `text-slate-700`) both stay, and Tailwind's stylesheet order, not their order here,
 * decides which wins. So a component's `className` adds layout (margin, width) and never restyles:
 * a different look is a variant (see components/ui/button.tsx), a state is one class or the other.
 */
export function cn(...inputs: ClassValue[]) {
  return clsx(inputs);
}
