-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "max_price_impact_bps" INTEGER;
