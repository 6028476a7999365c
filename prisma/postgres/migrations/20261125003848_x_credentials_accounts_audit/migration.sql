-- CreateTable
CREATE TABLE "XCredential" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "brandId" TEXT,
    "scopeKey" TEXT NOT NULL,
    "clientIdSealed" TEXT NOT NULL,
    "clientSecretSealed" TEXT NOT NULL,
    "clientIdPreview" TEXT NOT NULL,
    "clientKind" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" TEXT NOT NULL,
    "updatedById" TEXT NOT NULL,
    "lastTestStatus" TEXT,
    "lastTestMessage" TEXT,
    "lastTestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "XCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "XGuideProgress" (
    "workspaceId" TEXT NOT NULL,
    "stepsDone" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "XGuideProgress_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "ConnectedAccount" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "brandId" TEXT NOT NULL,
    "xUserId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "avatarUrl" TEXT,
    "grantedScopes" TEXT NOT NULL,
    "accessTokenSealed" TEXT,
    "refreshTokenSealed" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "credentialId" TEXT NOT NULL,
    "credentialVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ACTIVE',
    "reconnectReason" TEXT,
    "needsReconnectSince" TIMESTAMP(3),
    "connectedById" TEXT,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConnectedAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT NOT NULL,
    "brandId" TEXT,
    "brandName" TEXT,
    "action" TEXT NOT NULL,
    "clientIdPreview" TEXT,
    "summary" TEXT NOT NULL,
    "outcome" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "XCredential_brandId_idx" ON "XCredential"("brandId");

-- CreateIndex
CREATE UNIQUE INDEX "XCredential_workspaceId_scopeKey_key" ON "XCredential"("workspaceId", "scopeKey");

-- CreateIndex
CREATE INDEX "ConnectedAccount_workspaceId_status_needsReconnectSince_idx" ON "ConnectedAccount"("workspaceId", "status", "needsReconnectSince");

-- CreateIndex
CREATE INDEX "ConnectedAccount_credentialId_credentialVersion_status_idx" ON "ConnectedAccount"("credentialId", "credentialVersion", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ConnectedAccount_brandId_xUserId_key" ON "ConnectedAccount"("brandId", "xUserId");

-- CreateIndex
CREATE INDEX "AuditEvent_workspaceId_createdAt_idx" ON "AuditEvent"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_workspaceId_action_createdAt_idx" ON "AuditEvent"("workspaceId", "action", "createdAt");

-- AddForeignKey
ALTER TABLE "XGuideProgress" ADD CONSTRAINT "XGuideProgress_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectedAccount" ADD CONSTRAINT "ConnectedAccount_brandId_fkey" FOREIGN KEY ("brandId") REFERENCES "Brand"("id") ON DELETE CASCADE ON UPDATE CASCADE;

