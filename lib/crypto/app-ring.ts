// The key ring this process seals and opens with, parsed once from the validated configuration.
import { env } from "../env";
import { parseKeyRing, type KeyRing } from "./keyring";
import { open, seal, type SealContext } from "./seal";

let ring: KeyRing | null = null;

export function appKeyRing(): KeyRing {
  return (ring ??= parseKeyRing(env.KEYPORT_ENCRYPTION_KEYS));
}

/** Every sealed column in the database, named once so that AAD and key rotation agree. */
export const SEALED = {
  credentialClientId: { table: "XCredential", field: "clientIdSealed" },
  credentialSecret: { table: "XCredential", field: "clientSecretSealed" },
  accessToken: { table: "ConnectedAccount", field: "accessTokenSealed" },
  refreshToken: { table: "ConnectedAccount", field: "refreshTokenSealed" },
  pkceVerifier: { table: "ConnectAttempt", field: "verifierSealed" },
  webhookSecret: { table: "WebhookEndpoint", field: "secretSealed" },
  webhookPreviousSecret: { table: "WebhookEndpoint", field: "previousSecretSealed" },
} as const;

export type SealedColumn = (typeof SEALED)[keyof typeof SEALED];

export function sealColumn(column: SealedColumn, rowId: string, plaintext: string): string {
  return seal(plaintext, context(column, rowId), appKeyRing());
}

export function openColumn(column: SealedColumn, rowId: string, sealed: string): string {
  return open(sealed, context(column, rowId), appKeyRing());
}

function context(column: SealedColumn, rowId: string): SealContext {
  return { table: column.table, field: column.field, rowId };
}
