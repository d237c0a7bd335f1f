-- DropIndex
DROP INDEX "orders_created_at_id_idx";

-- DropIndex
DROP INDEX "orders_client_order_id_key";

-- CreateTable
CREATE TABLE "accounts" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_name_key" ON "accounts"("name");

-- AlterTable (edited by hand: orders stored before accounts existed go to an account named
-- "legacy", created only when there are such orders, and then the column becomes NOT NULL)
-- (no semicolons in comments: the migration engine splits the script on them)
ALTER TABLE "orders" ADD COLUMN     "account_id" UUID;

INSERT INTO "accounts" ("id", "name")
SELECT gen_random_uuid(), 'legacy' WHERE EXISTS (SELECT 1 FROM "orders")
ON CONFLICT ("name") DO NOTHING;

UPDATE "orders" SET "account_id" = (SELECT "id" FROM "accounts" WHERE "name" = 'legacy') WHERE "account_id" IS NULL;

ALTER TABLE "orders" ALTER COLUMN "account_id" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_account_id_idx" ON "api_keys"("account_id");

-- CreateIndex
CREATE INDEX "orders_account_id_created_at_id_idx" ON "orders"("account_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "orders_account_id_status_created_at_id_idx" ON "orders"("account_id", "status", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "orders_account_id_client_order_id_key" ON "orders"("account_id", "client_order_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
