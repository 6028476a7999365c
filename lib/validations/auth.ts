// Schemas shared by the sign-in, setup and invite forms and their server actions.
import { z } from "./zod";
import { PASSWORD_MAX, PASSWORD_MIN } from "../password-rules";

export const emailField = z.pipe(
  z.string().check(z.trim(), z.toLowerCase(), z.minLength(1, "Enter your email address."), z.maxLength(254, "An email address has at most 254 characters.")),
  z.email("Enter a valid email address, like name@agency.com."),
);

export const nameField = z.string().check(z.trim(), z.minLength(1, "Enter a name."), z.maxLength(100, "Keep the name under 100 characters."));

export const newPasswordField = z
  .string()
  .check(z.minLength(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`), z.maxLength(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`));

export const signInSchema = z.object({
  email: emailField,
  password: z.string().check(z.minLength(1, "Enter your password."), z.maxLength(PASSWORD_MAX, "That password is too long.")),
});
export type SignInInput = z.infer<typeof signInSchema>;

export const setupSchema = z.object({
  name: nameField,
  email: emailField,
  password: newPasswordField,
  workspaceName: nameField,
});
export type SetupInput = z.infer<typeof setupSchema>;

export const acceptInviteSchema = z.object({
  token: z.string().check(z.minLength(20), z.maxLength(200)),
  name: nameField,
  password: newPasswordField,
});
export type AcceptInviteInput = z.infer<typeof acceptInviteSchema>;

/** An existing, signed-in account joining through its invite: only the link's token. */
export const joinInviteSchema = z.pick(acceptInviteSchema, { token: true });
export type JoinInviteInput = z.infer<typeof joinInviteSchema>;
