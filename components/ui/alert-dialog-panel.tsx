"use client";
// The alert dialog itself (Radix: focus trap, Escape, aria-modal, scroll lock; ~13 kB gzip). Only
// components/ui/alert-dialog.tsx imports it, lazily, so it loads when a dialog first opens.
import { AlertDialog } from "radix-ui";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";
import { Button } from "./button";

export type AlertDialogPanelProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  descriptionClassName?: string;
  descriptionTestId?: string;
  /** The panel's width, e.g. "w-[min(28rem,90vw)]". */
  widthClassName?: string;
  cancelDisabled?: boolean;
  /** The confirming button, beside Cancel. */
  action: ReactNode;
  /** Opened without a Radix Trigger, Radix has nowhere to return focus: the caller says where. */
  onCloseAutoFocus: (event: Event) => void;
};

export function AlertDialogPanel(props: AlertDialogPanelProps) {
  const { open, onOpenChange, title, description, descriptionTestId, cancelDisabled, action, onCloseAutoFocus } = props;
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 bg-slate-900/40" />
        <AlertDialog.Content
          className={cn("fixed top-1/2 left-1/2 -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl", props.widthClassName ?? "w-[min(28rem,90vw)]")}
          onCloseAutoFocus={onCloseAutoFocus}
        >
          <AlertDialog.Title className="text-lg font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className={props.descriptionClassName ?? "mt-2 text-sm text-slate-600"} data-testid={descriptionTestId}>
              {description}
            </div>
          </AlertDialog.Description>
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary" disabled={cancelDisabled}>
                Cancel
              </Button>
            </AlertDialog.Cancel>
            {action}
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
