"use client";
// An alert dialog whose code (Radix's, in ./alert-dialog-panel) is fetched when it first opens, or
// earlier through preloadAlertDialog() when the pointer or focus reaches what opens it: no page
// pays for it in its first-load JavaScript. Once opened it stays mounted, so closing runs Radix's
// own exit (focus return, scroll unlock) like an eagerly loaded dialog.
import { lazy, Suspense, useState } from "react";
import type { AlertDialogPanelProps } from "./alert-dialog-panel";

const load = () => import("./alert-dialog-panel");
const Panel = lazy(() => load().then((m) => ({ default: m.AlertDialogPanel })));

export function preloadAlertDialog() {
  void load();
}

export function AlertDialog(props: AlertDialogPanelProps) {
  const [opened, setOpened] = useState(props.open);
  if (props.open && !opened) setOpened(true);
  if (!opened) return null;
  return (
    <Suspense fallback={null}>
      <Panel {...props} />
    </Suspense>
  );
}
