"use server";
// Sign-in, sign-out, first-run setup and invite acceptance.
import { AuthError, CredentialsSignin } from "next-auth";
import { auth, signIn, signOut } from "../auth";
import { acceptInvite } from "../data/members";
import { completeSetup } from "../data/setup";
import { acceptInviteSchema, setupSchema, signInSchema, type AcceptInviteInput, type SetupInput, type SignInInput } from "../validations/auth";
import { fail, invalid, ok, type ActionResult } from "./result";

const WRONG = "Email or password is incorrect.";

export async function signInAction(input: SignInInput): Promise<ActionResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  return startSession(parsed.data.email, parsed.data.password);
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}

export async function setupAction(input: SetupInput): Promise<ActionResult> {
  const parsed = setupSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const done = await completeSetup(parsed.data);
  if (!done) return fail("Keyport is already set up. Sign in instead.");
  return startSession(parsed.data.email, parsed.data.password);
}

export async function acceptInviteAction(input: AcceptInviteInput): Promise<ActionResult> {
  const parsed = acceptInviteSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const session = await auth();
  const result = await acceptInvite(parsed.data.token, parsed.data, session?.user?.id);
  if (!result.ok) {
    if (result.reason === "existing-account") {
      return fail("An account with this email already exists. Sign in with it, then open the invite link again.");
    }
    if (result.reason === "already-member") return fail("You are already a member of this workspace.");
    return fail("This invite link is no longer valid. Ask for a new one.");
  }
  if (session?.user?.id === result.userId) return ok();
  return startSession(result.email, parsed.data.password);
}

async function startSession(email: string, password: string): Promise<ActionResult> {
  try {
    await signIn("credentials", { email, password, redirect: false });
    return ok();
  } catch (error) {
    if (error instanceof CredentialsSignin) {
      const locked = /^locked:(\d+)$/.exec(error.code ?? "");
      if (locked) {
        const minutes = Math.ceil(Number(locked[1]) / 60);
        return fail(`Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
      }
      return fail(WRONG);
    }
    if (error instanceof AuthError) return fail("Sign-in failed. Try again.");
    throw error;
  }
}
