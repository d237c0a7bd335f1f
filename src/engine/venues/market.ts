// The simulated market: both venues over one shared pool store.
import type { Redis } from 'ioredis';
import type { SimulationSettings } from '../../config.js';
import type { Dex } from '../types.js';
import { POOL_MODELS } from './pool-models.js';
import { PoolStore } from './pool-store.js';
import { createRandom } from './random.js';
import { SimulatedVenue } from './simulated-venue.js';

export interface Market {
  store: PoolStore;
  venues: readonly SimulatedVenue[];
  venue(dex: Dex): SimulatedVenue;
}

export function createMarket(redis: Redis, sim: SimulationSettings): Market {
  const store = new PoolStore(redis, sim.namespace);
  // each process draws its own fault sequence; the seed keeps a process's run reproducible
  const random = createRandom(sim.seed ^ process.pid);
  const venues = [
    new SimulatedVenue(POOL_MODELS.RAYDIUM, store, sim, random),
    new SimulatedVenue(POOL_MODELS.METEORA, store, sim, random),
  ];
  return {
    store,
    venues,
    venue: (dex) => venues.find((v) => v.dex === dex)!,
  };
}
