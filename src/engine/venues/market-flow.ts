// Background flow: seeded random trades that move pool prices, so the venues drift apart by a
// few percent and quotes go stale. Only the process holding a Redis lease trades, so adding
// worker processes does not multiply the flow.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SimulationSettings } from '../../config.js';
import { PAIRS, basePrice } from './pools.js';
import type { Market } from './market.js';
import { createRandom } from './random.js';
import { parseUnits } from '../money.js';
import { withTimeout } from '../timeout.js';
import { tokenBySymbol } from '../tokens.js';

const HOLD_LEASE_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

/** How long the flow's lease lasts unless renewed: a few ticks, so one slow tick does not lose it. */
export const flowLeaseMs = (sim: Pick<SimulationSettings, 'flowIntervalMs'>): number => sim.flowIntervalMs * 4;

export class MarketFlow {
  private timer?: NodeJS.Timeout;
  private readonly random;
  private readonly leaseKey;
  private readonly leaseMs;
  private readonly owner = randomUUID();
  private running = false;

  constructor(
    private readonly redis: Redis,
    private readonly market: Market,
    private readonly sim: SimulationSettings,
  ) {
    this.random = createRandom(sim.seed);
    this.leaseKey = `${sim.namespace}:flow-lease`;
    this.leaseMs = flowLeaseMs(sim);
  }

  start(): void {
    if (this.sim.flowIntervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.sim.flowIntervalMs);
    this.timer.unref();
  }

  /**
   * Stops trading and gives the lease up so another process's flow takes over at once. Giving it
   * up waits for Redis for one lease period at most: with Redis gone, the lease simply expires.
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const release = this.redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      this.leaseKey,
      this.owner,
    );
    await withTimeout(release, this.leaseMs).catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if (await this.holdLease()) await this.trade();
    } catch {
      // flow is best effort: a failed background trade is simply not made
    } finally {
      this.running = false;
    }
  }

  /**
   * Takes the lease when nobody holds it, or renews our own: one script, since a GET then a
   * PEXPIRE could renew another process's lease taken in between, and both would trade.
   */
  private async holdLease(): Promise<boolean> {
    return (await this.redis.eval(HOLD_LEASE_SCRIPT, 1, this.leaseKey, this.owner, this.leaseMs)) === 1;
  }

  /** One trade of 0.05%–0.5% of the pool's depth, leaning back towards the reference price. */
  async trade(): Promise<void> {
    const pair = PAIRS[this.random.int(0, PAIRS.length - 1)]!;
    const venue = this.market.venues[this.random.int(0, this.market.venues.length - 1)]!;
    const reference = basePrice(pair);
    await venue.backgroundSwap(pair, (price) => {
      const aboveReference = price.num * reference.den > reference.num * price.den;
      const aToB = this.random.chance(aboveReference ? 0.65 : 0.35);
      const sizeA = (parseUnits(pair.depthA, tokenBySymbol(pair.a).decimals) * BigInt(this.random.int(5, 50))) / 10_000n;
      return { aToB, amountIn: aToB ? sizeA : (sizeA * price.num) / price.den };
    });
  }
}
