-- Transitions that change no indexed column become HOT updates: the new row version goes on the
-- same page and no index gets an entry. Before this, both indexes below named status, so every
-- transition inserted into all five indexes of orders.
-- (Prisma's diff gave the drops, a plain "outcome" column and its index; edited by hand: the
-- column is generated, and the partial index and the fillfactor are beyond Prisma's schema.)

-- DropIndex
DROP INDEX "orders_account_id_status_created_at_id_idx";

-- DropIndex
DROP INDEX "orders_status_created_at_id_idx";

-- AlterTable: the terminal status once reached, null while the order runs. Generated, so no
-- writer can let it disagree with status; it changes once in an order's life, at its last transition.
ALTER TABLE "orders" ADD COLUMN "outcome" "OrderStatus"
  GENERATED ALWAYS AS (CASE WHEN "status" IN ('CONFIRMED', 'FAILED') THEN "status" END) STORED;

-- CreateIndex: an account's orders by outcome (null: its unfinished ones), newest first
CREATE INDEX "orders_account_id_outcome_created_at_id_idx" ON "orders"("account_id", "outcome", "created_at" DESC, "id" DESC);

-- CreateIndex: the reconciler's unfinished orders across all accounts; it stays as small as the
-- number of orders running (and dead entries until vacuum)
CREATE INDEX "orders_open_created_at_idx" ON "orders"("created_at") WHERE "outcome" IS NULL;

-- A new order's page keeps 30 % free for the versions its next transitions write (a row is about
-- 250 bytes; each HOT update adds one, and pruning reclaims the dead ones on the same page)
ALTER TABLE "orders" SET (fillfactor = 70);
