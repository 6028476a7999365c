"use client";
import { cloneElement, useState, type ButtonHTMLAttributes, type ReactElement, type ReactNode } from "react";
import { AlertDialog, preloadAlertDialog } from "./alert-dialog";
import { Button } from "./button";

type TriggerProps = ButtonHTMLAttributes<HTMLButtonElement>;

type Props = {
  /** A button element (e.g. <Button>); it gets the handlers and ARIA state that open the dialog. */
  trigger: ReactElement<TriggerProps>;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<boolean>;
};

/**
 * An accessible confirmation (focus trapped, Escape cancels, focus back on the trigger when it
 * closes); stays open while the action runs. The dialog's code loads on first use (./alert-dialog).
 */
export function ConfirmDialog({ trigger, title, description, confirmLabel, onConfirm }: Props) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  // The element that opened the dialog, where focus goes back when it closes.
  const [opener, setOpener] = useState<HTMLButtonElement | null>(null);
  const own = trigger.props;
  const triggerElement = cloneElement(trigger, {
    type: own.type ?? "button",
    "aria-haspopup": "dialog",
    "aria-expanded": open,
    onPointerEnter: (event) => {
      own.onPointerEnter?.(event);
      preloadAlertDialog();
    },
    onFocus: (event) => {
      own.onFocus?.(event);
      preloadAlertDialog();
    },
    onClick: (event) => {
      own.onClick?.(event);
      if (event.defaultPrevented) return;
      setOpener(event.currentTarget);
      setOpen(true);
    },
  });
  return (
    <>
      {triggerElement}
      <AlertDialog
        open={open}
        onOpenChange={(next) => !pending && setOpen(next)}
        title={title}
        description={description}
        cancelDisabled={pending}
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          opener?.focus();
        }}
        action={
          <Button
            variant="danger"
            pending={pending}
            onClick={async () => {
              setPending(true);
              const done = await onConfirm().finally(() => setPending(false));
              if (done) setOpen(false);
            }}
          >
            {confirmLabel}
          </Button>
        }
      />
    </>
  );
}
