-- CreateTable
CREATE TABLE "PostAttempt" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "brandId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "credentialId" TEXT,
    "idempotencyKey" TEXT,
    "requestHash" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "replyToPostId" TEXT,
    "quotePostId" TEXT,
    "costClass" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "claimedUntil" TIMESTAMP(3),
    "username" TEXT NOT NULL,
    "xPostId" TEXT,
    "errorCode" TEXT,
    "errorDetail" TEXT,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PostAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "XRateWindow" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "credentialId" TEXT NOT NULL,
    "accountId" TEXT,
    "window" TEXT NOT NULL,
    "limit" INTEGER NOT NULL,
    "remaining" INTEGER NOT NULL,
    "resetAt" TIMESTAMP(3) NOT NULL,
    "limitedAt" TIMESTAMP(3),
    "observedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "XRateWindow_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PostAttempt_workspaceId_state_publishedAt_idx" ON "PostAttempt"("workspaceId", "state", "publishedAt");

-- CreateIndex
CREATE INDEX "PostAttempt_workspaceId_accountId_state_publishedAt_idx" ON "PostAttempt"("workspaceId", "accountId", "state", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PostAttempt_workspaceId_idempotencyKey_key" ON "PostAttempt"("workspaceId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "XRateWindow_workspaceId_credentialId_idx" ON "XRateWindow"("workspaceId", "credentialId");

