// Schemas shared by the sign-in, setup and invite forms and their server actions.
import { z } from "./zod";
import { PASSWORD_MAX, PASSWORD_MIN } from "../password-rules";

export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email("Enter a valid email address, like name@agency.com."));

export const nameField = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Keep the name under 100 characters.");

export const newPasswordField = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const signInSchema = z.object({
  email: emailField,
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX, "That password is too long."),
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
  token: z.string().min(20).max(200),
  name: nameField,
  password: newPasswordField,
});
export type AcceptInviteInput = z.infer<typeof acceptInviteSchema>;

/** An existing, signed-in account joining through its invite: only the link's token. */
export const joinInviteSchema = acceptInviteSchema.pick({ token: true });
export type JoinInviteInput = z.infer<typeof joinInviteSchema>;
