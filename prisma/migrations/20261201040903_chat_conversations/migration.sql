-- CreateTable
CREATE TABLE "ChatConversation" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "tenantId" TEXT,
    "teamId" TEXT,
    "kind" TEXT NOT NULL,
    "userId" TEXT,
    "reference" JSONB NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatConversation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChatConversation_platform_teamId_idx" ON "ChatConversation"("platform", "teamId");

-- CreateIndex
CREATE INDEX "ChatConversation_platform_userId_idx" ON "ChatConversation"("platform", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatConversation_platform_conversationId_key" ON "ChatConversation"("platform", "conversationId");
