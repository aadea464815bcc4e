-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN     "detail" JSONB,
ADD COLUMN     "episode" TEXT,
ADD COLUMN     "idleDays" INTEGER,
ADD COLUMN     "sentOn" DATE,
ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'sent';

-- CreateTable
CREATE TABLE "EscalationRecipient" (
    "id" SERIAL NOT NULL,
    "escalationId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "userId" INTEGER,
    "who" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EscalationRecipient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EscalationChannel" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "tenantId" TEXT,
    "createdById" INTEGER NOT NULL,
    "conversationRef" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EscalationChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Snooze" (
    "id" SERIAL NOT NULL,
    "accountId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "on" DATE NOT NULL,
    "until" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Snooze_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EscalationRecipient_status_idx" ON "EscalationRecipient"("status");

-- CreateIndex
CREATE UNIQUE INDEX "EscalationRecipient_escalationId_kind_who_platform_key" ON "EscalationRecipient"("escalationId", "kind", "who", "platform");

-- CreateIndex
CREATE UNIQUE INDEX "EscalationChannel_platform_channelId_key" ON "EscalationChannel"("platform", "channelId");

-- CreateIndex
CREATE INDEX "Snooze_accountId_idx" ON "Snooze"("accountId");

-- CreateIndex
CREATE INDEX "Escalation_resolvedAt_idx" ON "Escalation"("resolvedAt");

-- AddForeignKey
ALTER TABLE "EscalationRecipient" ADD CONSTRAINT "EscalationRecipient_escalationId_fkey" FOREIGN KEY ("escalationId") REFERENCES "Escalation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snooze" ADD CONSTRAINT "Snooze_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
