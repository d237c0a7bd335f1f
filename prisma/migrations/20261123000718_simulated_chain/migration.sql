-- CreateTable
CREATE TABLE "sim_pools" (
    "namespace" TEXT NOT NULL,
    "dex" "Dex" NOT NULL,
    "pair_id" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "version" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sim_pools_pkey" PRIMARY KEY ("namespace","dex","pair_id")
);

-- CreateTable
CREATE TABLE "sim_swaps" (
    "signature" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "dex" "Dex" NOT NULL,
    "pair_id" TEXT NOT NULL,
    "a_to_b" BOOLEAN NOT NULL,
    "amount_in" BIGINT NOT NULL,
    "amount_out" BIGINT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "confirm_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sim_swaps_pkey" PRIMARY KEY ("signature")
);

-- CreateIndex
CREATE INDEX "sim_swaps_order_id_idx" ON "sim_swaps"("order_id");
