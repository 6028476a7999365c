"use client";
// Write and publish a post as one of the brand's active accounts. The counter is X's weighted
// length from the same function the server checks with (lib/posts/text.ts), so it never
// disagrees with what publishing accepts. That function is twitter-text (with the core-js it
// brings, ~28 kB gzip): it loads when the pointer or focus first reaches the composer, not with
// the brand page, and until it has, a draft reads "Counting…" and cannot be posted.
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { publishPostAction, type ComposerPublished } from "@/lib/actions/posts";
import { MAX_WEIGHTED_LENGTH } from "@/lib/posts/max-length";
import type { PostWeight } from "@/lib/posts/text";

type Props = {
  brandId: string;
  accounts: { id: string; username: string }[];
  /** Formatted prices at the configured table, e.g. "$0.015" and "$0.200". */
  prices: { post: string; postUrl: string };
};

export function Composer({ brandId, accounts, prices }: Props) {
  const router = useRouter();
  const ids = { account: useId(), text: useId(), counter: useId(), notes: useId() };
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? "");
  const [text, setText] = useState("");
  const [draftId, setDraftId] = useState(newDraftId);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [published, setPublished] = useState<ComposerPublished | null>(null);
  const [weigh, setWeigh] = useState<Weigh | null>(null);
  const startWeighing = () => {
    if (!weigh) loadWeigh().then((f) => setWeigh(() => f), () => {}); // failed: tried again on the next focus
  };
  // A draft that arrived before any focus (restored, pasted by a tool) still gets counted.
  useEffect(() => {
    if (text && !weigh) startWeighing();
  });
  const weight = useMemo(() => (weigh ? weigh(text) : text === "" ? EMPTY : null), [weigh, text]);
  const over = weight ? weight.weightedLength > MAX_WEIGHTED_LENGTH : false;
  const left = MAX_WEIGHTED_LENGTH - (weight?.weightedLength ?? 0);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (pending || !weight?.valid || !accountId) return;
    setPending(true);
    setError(null);
    setPublished(null);
    try {
      const result = await publishPostAction({ brandId, accountId, text, idempotencyKey: draftId });
      if (!result.ok) {
        setError(result.fieldErrors?.text ?? result.error);
      } else {
        setPublished(result.data);
        setText("");
        setDraftId(newDraftId()); // the next post is a new request
      }
      router.refresh();
    } catch {
      // Unknown whether it reached X: keep the draft id, so sending again cannot post twice.
      setError("Keyport did not answer. Check the account on X; sending again will not post twice.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} onFocus={startWeighing} onPointerEnter={startWeighing} className="space-y-4" aria-busy={pending || undefined}>
      <div className="space-y-1">
        <label htmlFor={ids.account} className="block text-sm font-medium text-slate-800">
          Post as
        </label>
        <select
          id={ids.account}
          value={accountId}
          onChange={(e) => setAccountId(e.target.value)}
          className="block h-10 w-full max-w-sm rounded-md border border-slate-300 bg-white px-3 text-sm"
        >
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              @{a.username}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1">
        <label htmlFor={ids.text} className="block text-sm font-medium text-slate-800">
          Post text
        </label>
        <textarea
          id={ids.text}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (published) setPublished(null);
          }}
          rows={4}
          aria-invalid={over || undefined}
          aria-describedby={`${ids.counter} ${ids.notes}`}
          className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm ${over ? "border-red-500" : "border-slate-300"}`}
        />
        <p id={ids.counter} aria-live="polite" className={`text-sm ${over ? "font-medium text-red-700" : left < 20 ? "text-amber-700" : "text-slate-600"}`}>
          {weight ? (
            <>
              {weight.weightedLength} / {MAX_WEIGHTED_LENGTH}
              {over ? ` — ${-left} over X's limit` : ` — ${left} left`}
            </>
          ) : (
            `Counting… / ${MAX_WEIGHTED_LENGTH}`
          )}
        </p>
        <div id={ids.notes} className="space-y-1 text-xs text-slate-600">
          <p>X counts every link as 23 characters, and CJK characters and emoji as 2.</p>
          {weight?.doubled.length ? <p>Counting double here: {weight.doubled.join(" ")}</p> : null}
          {weight?.urls.length ? (
            <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-2 py-1 text-sm text-amber-900">
              This post contains a link ({weight.urls.length === 1 ? weight.urls[0] : `${weight.urls.length} links`}): X bills it as “Content: Create with a URL”, {prices.postUrl}{" "}
              instead of {prices.post} — about 13 times a plain post.
            </p>
          ) : null}
        </div>
      </div>
      <FormError message={error} />
      {published ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
          {published.replayed ? "Already published" : "Published"} as @{published.username}:{" "}
          <a href={published.url} target="_blank" rel="noreferrer noopener" className="font-medium underline">
            view the post on X
          </a>
        </p>
      ) : null}
      <Button type="submit" pending={pending} disabled={!weight?.valid || !accountId}>
        {pending ? "Posting…" : "Post to X"}
      </Button>
    </form>
  );
}

type Weigh = (text: string) => PostWeight;

const EMPTY: PostWeight = { weightedLength: 0, valid: false, urls: [], costClass: "standard", doubled: [] };

let weighing: Promise<Weigh> | undefined;
function loadWeigh() {
  return (weighing ??= import("@/lib/posts/text").then(
    (m) => m.weighPost,
    (error: unknown) => {
      weighing = undefined;
      throw error;
    },
  ));
}

function newDraftId() {
  return crypto.randomUUID();
}
