"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { switchWorkspaceAction } from "@/lib/actions/workspace";

export function WorkspaceSwitcher({ current, workspaces }: { current: string; workspaces: { id: string; name: string }[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  if (workspaces.length < 2) {
    return <span className="max-w-full truncate text-sm font-medium text-slate-700">{workspaces[0]?.name}</span>;
  }
  return (
    <label className="text-sm">
      <span className="sr-only">Workspace</span>
      <select
        className="h-8 rounded-md border border-slate-300 bg-white px-2"
        value={current}
        disabled={pending}
        onChange={(event) =>
          start(async () => {
            const result = await switchWorkspaceAction(event.target.value);
            if (!result.ok) toast.error(result.error);
            router.refresh();
          })
        }
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}
