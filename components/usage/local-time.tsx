"use client";
// A time in the viewer's own time zone. The server (which has no idea of it) renders UTC; the
// browser renders local time, without a hydration mismatch (useSyncExternalStore's server snapshot).
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

export function LocalTime({ iso }: { iso: string }) {
  const text = useSyncExternalStore(
    noSubscription,
    () => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }),
    () => `${iso.slice(0, 16).replace("T", " ")} UTC`,
  );
  return <time dateTime={iso}>{text}</time>;
}
