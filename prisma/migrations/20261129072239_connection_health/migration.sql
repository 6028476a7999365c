-- AlterTable
ALTER TABLE "XCredential" ADD COLUMN "rateLimitedUntil" DATETIME;
ALTER TABLE "XCredential" ADD COLUMN "rejectedAt" DATETIME;
ALTER TABLE "XCredential" ADD COLUMN "rejectedReason" TEXT;
ALTER TABLE "XCredential" ADD COLUMN "rejectedXError" TEXT;

-- CreateTable
CREATE TABLE "ConnectionEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "brandId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "reason" TEXT,
    "detail" TEXT,
    "xError" TEXT,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "accountId" TEXT,
    "brandId" TEXT,
    "credentialId" TEXT,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" DATETIME,
    "emailedAt" DATETIME
);

-- CreateTable
CREATE TABLE "XUsage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "billed" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "WorkerState" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Workspace" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "extraScopes" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("createdAt", "id", "name", "updatedAt") SELECT "createdAt", "id", "name", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
CREATE TABLE "new_ConnectedAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "brandId" TEXT NOT NULL,
    "xUserId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "avatarUrl" TEXT,
    "grantedScopes" TEXT NOT NULL,
    "accessTokenSealed" TEXT,
    "refreshTokenSealed" TEXT,
    "accessTokenExpiresAt" DATETIME,
    "tokenVersion" INTEGER NOT NULL DEFAULT 0,
    "credentialId" TEXT NOT NULL,
    "credentialVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "statusReason" TEXT,
    "statusDetail" TEXT,
    "statusSince" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastXError" TEXT,
    "lastXErrorAt" DATETIME,
    "lastProvenAt" DATETIME,
    "profileCheckedAt" DATETIME,
    "lastCheckedAt" DATETIME,
    "failureCount" INTEGER NOT NULL DEFAULT 0,
    "failingSince" DATETIME,
    "rateLimitedUntil" DATETIME,
    "nextCheckAt" DATETIME,
    "checkRequestedAt" DATETIME,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "connectedById" TEXT,
    "connectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ConnectedAccount_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Hand-edited: reconnectReason and needsReconnectSince become statusReason and statusSince.
INSERT INTO "new_ConnectedAccount" ("accessTokenExpiresAt", "accessTokenSealed", "avatarUrl", "brandId", "connectedAt", "connectedById", "createdAt", "credentialId", "credentialVersion", "grantedScopes", "id", "name", "refreshTokenSealed", "status", "statusReason", "statusSince", "updatedAt", "username", "workspaceId", "xUserId") SELECT "accessTokenExpiresAt", "accessTokenSealed", "avatarUrl", "brandId", "connectedAt", "connectedById", "createdAt", "credentialId", "credentialVersion", "grantedScopes", "id", "name", "refreshTokenSealed", "status", "reconnectReason", COALESCE("needsReconnectSince", "connectedAt"), "updatedAt", "username", "workspaceId", "xUserId" FROM "ConnectedAccount";
DROP TABLE "ConnectedAccount";
ALTER TABLE "new_ConnectedAccount" RENAME TO "ConnectedAccount";
CREATE INDEX "ConnectedAccount_workspaceId_status_statusSince_idx" ON "ConnectedAccount"("workspaceId", "status", "statusSince");
CREATE INDEX "ConnectedAccount_credentialId_credentialVersion_status_idx" ON "ConnectedAccount"("credentialId", "credentialVersion", "status");
CREATE INDEX "ConnectedAccount_status_nextCheckAt_idx" ON "ConnectedAccount"("status", "nextCheckAt");
CREATE INDEX "ConnectedAccount_checkRequestedAt_idx" ON "ConnectedAccount"("checkRequestedAt");
CREATE UNIQUE INDEX "ConnectedAccount_brandId_xUserId_key" ON "ConnectedAccount"("brandId", "xUserId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ConnectionEvent_accountId_createdAt_idx" ON "ConnectionEvent"("accountId", "createdAt");

-- CreateIndex
CREATE INDEX "ConnectionEvent_workspaceId_createdAt_idx" ON "ConnectionEvent"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_dispatchedAt_createdAt_idx" ON "Notification"("dispatchedAt", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_emailedAt_createdAt_idx" ON "Notification"("emailedAt", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_workspaceId_createdAt_idx" ON "Notification"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "XUsage_workspaceId_credentialId_day_idx" ON "XUsage"("workspaceId", "credentialId", "day");

