-- No query reads these two indexes: pg_stat_user_indexes showed no scan of either after
-- imports, digests, stats, the sweep, account cards and timelines, while every import wrote
-- an entry in each for every row. The digest and the metrics scan all invoices, and
-- timelines read Activity by ("accountId", "at").
-- (No semicolon in these comments: prisma migrate deploy splits the file at each one.)

-- DropIndex
DROP INDEX "Invoice_dueDate_idx";

-- DropIndex
DROP INDEX "Activity_at_idx";
