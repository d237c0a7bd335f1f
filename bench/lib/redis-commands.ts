// Redis commands per unit of work, from INFO commandstats read before and after a measurement:
// e.g. how many EVALs (pool compare-and-swap attempts) each order cost, which shows contention
// that no profile of a single process shows.
import { createRedis } from '../../src/infra/redis.js';

async function commandCalls(redisUrl: string): Promise<Map<string, number>> {
  const redis = await createRedis(redisUrl, { name: 'bench-commandstats' });
  try {
    const info = await redis.info('commandstats');
    const calls = new Map<string, number>();
    for (const match of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
    return calls;
  } finally {
    redis.disconnect();
  }
}

/** Starts counting; `stop(units)` gives the commands per unit, largest first (those above 0.05 per unit). */
export async function countCommands(redisUrl: string): Promise<{ stop(units: number): Promise<Record<string, number>> }> {
  const before = await commandCalls(redisUrl);
  return {
    async stop(units: number) {
      const after = await commandCalls(redisUrl);
      const perUnit = [...after.entries()]
        .map(([name, calls]) => [name, (calls - (before.get(name) ?? 0)) / units] as const)
        .filter(([, n]) => n >= 0.05)
        .sort((a, b) => b[1] - a[1]);
      return Object.fromEntries(perUnit.map(([name, n]) => [name, Math.round(n * 100) / 100]));
    },
  };
}
