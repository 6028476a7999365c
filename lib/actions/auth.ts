"use server";
// Sign-in, sign-out, first-run setup and invite acceptance. Each form posts its FormData here
// (`<form action>` with useActionState), so the browser sends it as a POST body even before the
// page's scripts have loaded, and the form works with JavaScript off. Success redirects; a
// failure comes back as the form's state.
import { randomBytes } from "node:crypto";
import { redirect, RedirectType } from "next/navigation";
import { AuthError, CredentialsSignin } from "next-auth";
import type { z } from "zod/mini";
import { auth, signIn, signOut } from "../auth";
import { acceptInvite, lookupInvite } from "../data/members";
import { completeSetup } from "../data/setup";
import { currentUser } from "../session";
import { acceptInviteSchema, joinInviteSchema, setupSchema, signInSchema } from "../validations/auth";
import { invalid } from "./result";

/** What a form shows after a failed submit; `values` refills fields (never a password). */
export type AuthFormState = { error: string; fieldErrors?: Record<string, string>; values?: Record<string, string> } | null;

const WRONG = "Email or password is incorrect.";
const AFTER_SIGN_IN = "/brands";

export async function signInAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = parseForm(form, signInSchema, ["email", "password"]);
  if (!parsed.ok) return parsed.state;
  const failed = await startSession(parsed.data.email, parsed.data.password);
  if (failed) return { error: failed, values: { email: parsed.data.email } };
  redirect(AFTER_SIGN_IN, RedirectType.replace);
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

export async function setupAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = parseForm(form, setupSchema, ["name", "email", "password", "workspaceName"]);
  if (!parsed.ok) return parsed.state;
  const { password: _password, ...values } = parsed.data;
  const done = await completeSetup(parsed.data);
  if (!done) return { error: "Keyport is already set up. Sign in instead.", values };
  const failed = await startSession(parsed.data.email, parsed.data.password);
  if (failed) return { error: `The owner account was created, but signing in failed: ${failed}`, values };
  redirect(AFTER_SIGN_IN, RedirectType.replace);
}

/** A new account from an invite: name and password chosen here. */
export async function acceptInviteAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = parseForm(form, acceptInviteSchema, ["token", "name", "password"]);
  if (!parsed.ok) return parsed.state;
  const session = await auth();
  const result = await acceptInvite(parsed.data.token, parsed.data, session?.user?.id);
  if (!result.ok) return { error: inviteRefusal(result.reason), values: { name: parsed.data.name } };
  if (session?.user?.id !== result.userId) {
    const failed = await startSession(result.email, parsed.data.password);
    if (failed) return { error: failed };
  }
  redirect(AFTER_SIGN_IN, RedirectType.replace);
}

/** The signed-in account the invite was sent to joins the workspace; nothing else is asked. */
export async function joinInviteAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const parsed = parseForm(form, joinInviteSchema, ["token"]);
  if (!parsed.ok) return parsed.state;
  const user = await currentUser();
  const invite = await lookupInvite(parsed.data.token);
  if (invite.status !== "valid") return { error: inviteRefusal("invalid") };
  if (!user || !invite.existingUser || invite.email !== user.email) {
    return { error: `Sign in as ${invite.email} first, then open the invite link again.` };
  }
  // The account exists, so acceptInvite asks for no name or password; should it vanish in the
  // meantime, the account it would create has a password nobody knows.
  const result = await acceptInvite(parsed.data.token, { name: user.name, password: randomBytes(32).toString("base64url") }, user.id);
  if (!result.ok) return { error: inviteRefusal(result.reason) };
  redirect(AFTER_SIGN_IN, RedirectType.replace);
}

/** Null when the session started; otherwise what to tell the person. */
async function startSession(email: string, password: string): Promise<string | null> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return null;
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const locked = /^locked:(\d+)$/.exec(error.code ?? "");
      if (locked) {
        const minutes = Math.ceil(Number(locked[1]) / 60);
        return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
      }
      return WRONG;
    }
    if (error instanceof AuthError) return "Sign-in failed. Try again.";
    throw error;
  }
}

function inviteRefusal(reason: "invalid" | "existing-account" | "already-member"): string {
  if (reason === "existing-account") return "An account with this email already exists. Sign in with it, then open the invite link again.";
  if (reason === "already-member") return "You are already a member of this workspace.";
  return "This invite link is no longer valid. Ask for a new one.";
}

/**
 * The named fields of a submitted form, parsed with the form's schema. Anything that is not
 * FormData (a hand-made call to the action) is refused before a field is read.
 */
function parseForm<T extends z.ZodMiniType>(
  form: unknown,
  schema: T,
  names: readonly string[],
): { ok: true; data: z.output<T> } | { ok: false; state: AuthFormState } {
  if (!(form instanceof FormData)) return { ok: false, state: { error: "The form could not be read. Reload the page and try again." } };
  const raw = Object.fromEntries(names.map((name) => [name, form.get(name) ?? undefined]));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const values = Object.fromEntries(
    names.filter((n) => n !== "password" && n !== "token" && typeof raw[n] === "string").map((n) => [n, (raw[n] as string).slice(0, 300)]),
  );
  const { error, fieldErrors } = invalid(parsed.error);
  return { ok: false, state: { error, fieldErrors, values } };
}
