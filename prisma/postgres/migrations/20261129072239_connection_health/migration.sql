-- DropIndex
DROP INDEX "ConnectedAccount_workspaceId_status_needsReconnectSince_idx";

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "extraScopes" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "XCredential" ADD COLUMN     "rateLimitedUntil" TIMESTAMP(3),
ADD COLUMN     "rejectedAt" TIMESTAMP(3),
ADD COLUMN     "rejectedReason" TEXT,
ADD COLUMN     "rejectedXError" TEXT;

-- AlterTable (hand-edited: reconnectReason and needsReconnectSince become statusReason and
-- statusSince, keeping their values)
ALTER TABLE "ConnectedAccount" RENAME COLUMN "reconnectReason" TO "statusReason";
ALTER TABLE "ConnectedAccount" ADD COLUMN "statusSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "ConnectedAccount" SET "statusSince" = COALESCE("needsReconnectSince", "connectedAt");
ALTER TABLE "ConnectedAccount" DROP COLUMN "needsReconnectSince",
ADD COLUMN     "checkRequestedAt" TIMESTAMP(3),
ADD COLUMN     "claimedBy" TEXT,
ADD COLUMN     "claimedUntil" TIMESTAMP(3),
ADD COLUMN     "failingSince" TIMESTAMP(3),
ADD COLUMN     "failureCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3),
ADD COLUMN     "lastProvenAt" TIMESTAMP(3),
ADD COLUMN     "lastXError" TEXT,
ADD COLUMN     "lastXErrorAt" TIMESTAMP(3),
ADD COLUMN     "nextCheckAt" TIMESTAMP(3),
ADD COLUMN     "profileCheckedAt" TIMESTAMP(3),
ADD COLUMN     "rateLimitedUntil" TIMESTAMP(3),
ADD COLUMN     "statusDetail" TEXT,
ADD COLUMN     "tokenVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ConnectionEvent" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConnectionEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "accountId" TEXT,
    "brandId" TEXT,
    "credentialId" TEXT,
    "payload" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" TIMESTAMP(3),
    "emailedAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "XUsage" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "billed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "XUsage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WorkerState" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkerState_pkey" PRIMARY KEY ("key")
);

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

-- CreateIndex
CREATE INDEX "ConnectedAccount_workspaceId_status_statusSince_idx" ON "ConnectedAccount"("workspaceId", "status", "statusSince");

-- CreateIndex
CREATE INDEX "ConnectedAccount_status_nextCheckAt_idx" ON "ConnectedAccount"("status", "nextCheckAt");

-- CreateIndex
CREATE INDEX "ConnectedAccount_checkRequestedAt_idx" ON "ConnectedAccount"("checkRequestedAt");

