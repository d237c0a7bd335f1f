// The simulated market: both venues over one shared pool store.
import type { Redis } from 'ioredis';
import type { Database } from '../../infra/prisma.js';
import type { SimulationSettings } from '../../config.js';
import type { Dex } from '../types.js';
import { ChainJournal } from './chain-journal.js';
import { POOL_MODELS } from './pool-models.js';
import { PoolStore } from './pool-store.js';
import { createRandom } from './random.js';
import { SimulatedVenue } from './simulated-venue.js';

export interface Market {
  store: PoolStore;
  journal: ChainJournal;
  venues: readonly SimulatedVenue[];
  venue(dex: Dex): SimulatedVenue;
}

/** `onSwapCommitted`: called once a swap is committed in Redis, before its journal entry (a test's failpoint). */
export function createMarket(redis: Redis, database: Database, sim: SimulationSettings, onSwapCommitted?: () => void): Market {
  const store = new PoolStore(redis, sim.namespace);
  const journal = new ChainJournal(database, sim.namespace);
  // SIM_SEED fixes the fault and confirmation-delay sequence, so a run can be replayed
  const random = createRandom(sim.seed);
  const venues = [
    new SimulatedVenue(POOL_MODELS.RAYDIUM, store, journal, sim, random, onSwapCommitted),
    new SimulatedVenue(POOL_MODELS.METEORA, store, journal, sim, random, onSwapCommitted),
  ];
  return {
    store,
    journal,
    venues,
    venue: (dex) => venues.find((v) => v.dex === dex)!,
  };
}
