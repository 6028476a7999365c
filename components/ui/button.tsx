import { cva, type VariantProps } from "class-variance-authority";
import { Loader2 } from "lucide-react";
import type { ButtonHTMLAttributes } from "react";
import { cn } from "@/lib/utils";

const buttonVariants = cva(
  "inline-flex items-center justify-center gap-2 rounded-md text-sm font-medium transition-colors disabled:pointer-events-none disabled:opacity-60",
  {
    variants: {
      variant: {
        primary: "bg-indigo-600 text-white hover:bg-indigo-700",
        secondary: "border border-slate-300 bg-white text-slate-900 hover:bg-slate-100",
        danger: "bg-red-600 text-white hover:bg-red-700",
        ghost: "text-slate-700 hover:bg-slate-100",
        // A destructive action among quiet ones (Delete, Remove, Revoke in a row of actions).
        "ghost-danger": "text-red-700 hover:bg-slate-100",
        // A button that reads as a link inside a message (it keeps the message's colour).
        link: "text-current underline",
      },
      size: { sm: "h-8 px-3", md: "h-10 px-4", inline: "" },
    },
    defaultVariants: { variant: "primary", size: "md" },
  },
);

// `className` is joined, not merged (lib/utils.ts): pass layout (w-full, mt-6), never a colour,
// height or padding the variants set; add a variant instead.
type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & VariantProps<typeof buttonVariants> & { pending?: boolean };

export function Button({ className, variant, size, pending, disabled, children, ...props }: ButtonProps) {
  return (
    <button
      className={cn(buttonVariants({ variant, size }), className)}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      {...props}
    >
      {pending ? <Loader2 className="size-4 animate-spin" aria-hidden /> : null}
      {children}
    </button>
  );
}

export { buttonVariants };
