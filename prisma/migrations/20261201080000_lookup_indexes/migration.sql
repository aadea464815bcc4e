-- Hand-written: Prisma's schema cannot express expression or partial indexes (like the
-- partial unique indexes of the first migration), so schema.prisma does not list these.

-- `account <q>` (section 5) matches the external id, then the name, exactly or by prefix,
-- ignoring case: without these, every /ar account read all accounts (36 ms at 50 000).
CREATE INDEX "Account_externalId_lower_idx" ON "Account" (lower("externalId"));
CREATE INDEX "Account_name_lower_idx" ON "Account" (lower("name") text_pattern_ops);

-- The digest's last human activity per account reads only people's changes, a small part
-- of a timeline that imports fill.
CREATE INDEX "Activity_human_accountId_at_idx" ON "Activity" ("accountId", "at") WHERE "human";
