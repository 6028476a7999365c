// The workspace's optional X scopes (Workspace.extraScopes): the form and the action share it.
import { OPTIONAL_SCOPES } from "../x/scopes";
import { z } from "./zod";

export const extraScopesSchema = z.object({
  scopes: z.array(z.enum(OPTIONAL_SCOPES, "Choose from the listed scopes.")).check(z.maxLength(OPTIONAL_SCOPES.length)),
});
export type ExtraScopesInput = z.infer<typeof extraScopesSchema>;
