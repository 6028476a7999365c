-- CreateIndex
CREATE INDEX "ConnectedAccount_workspaceId_statusSince_id_idx" ON "ConnectedAccount"("workspaceId", "statusSince", "id");

-- CreateIndex
CREATE INDEX "ConnectedAccount_workspaceId_username_id_idx" ON "ConnectedAccount"("workspaceId", "username", "id");

-- CreateIndex
CREATE INDEX "ConnectedAccount_workspaceId_lastProvenAt_id_idx" ON "ConnectedAccount"("workspaceId", "lastProvenAt", "id");

