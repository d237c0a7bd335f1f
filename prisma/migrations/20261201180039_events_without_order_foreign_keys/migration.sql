-- DropForeignKey
ALTER TABLE "order_events" DROP CONSTRAINT "order_events_order_id_fkey";

-- DropForeignKey
ALTER TABLE "routing_decisions" DROP CONSTRAINT "routing_decisions_order_id_fkey";
