-- CreateTable
CREATE TABLE "ConnectAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "brandId" TEXT NOT NULL,
    "stateHash" TEXT NOT NULL,
    "verifierSealed" TEXT NOT NULL,
    "userId" TEXT,
    "linkId" TEXT,
    "credentialId" TEXT NOT NULL,
    "credentialVersion" INTEGER NOT NULL,
    "redirectUri" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "consumedAt" DATETIME,
    "outcome" TEXT,
    "outcomeDetail" TEXT,
    "accountId" TEXT
);

-- CreateTable
CREATE TABLE "ConnectLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "brandId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "consumedAt" DATETIME,
    "accountId" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "ConnectAttempt_stateHash_key" ON "ConnectAttempt"("stateHash");

-- CreateIndex
CREATE INDEX "ConnectAttempt_expiresAt_idx" ON "ConnectAttempt"("expiresAt");

-- CreateIndex
CREATE INDEX "ConnectAttempt_brandId_createdAt_idx" ON "ConnectAttempt"("brandId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ConnectLink_tokenHash_key" ON "ConnectLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ConnectLink_workspaceId_brandId_createdAt_idx" ON "ConnectLink"("workspaceId", "brandId", "createdAt");

