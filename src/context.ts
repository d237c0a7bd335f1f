// The one context type every GraphQL operation gets, over HTTP and WebSocket alike.
import type { OrderEventBus } from './engine/order-events.js';
import type { OrderService } from './engine/order-service.js';
import type { OrderStore } from './engine/order-store.js';
import type { PoolStore } from './engine/venues/pool-store.js';

/** Long-lived services, built once per process. */
export interface AppServices {
  orders: OrderService;
  store: OrderStore;
  bus: OrderEventBus;
  ledger: PoolStore;
}

export interface GraphQLContext extends AppServices {}

/** Builds the context of one request or one WebSocket operation. */
export function createContextFactory(services: AppServices) {
  return (): GraphQLContext => ({ ...services });
}
