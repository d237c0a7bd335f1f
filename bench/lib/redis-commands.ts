// Redis commands per unit of work, from INFO commandstats read before and after a measurement:
// e.g. how many EVALs (pool compare-and-swap attempts) each order cost, which shows contention
// that no profile of a single process shows. Also how often Redis read from and wrote to its
// clients' sockets: commands that clients send together (a pipeline, one write) cost one read,
// so reads per order count the messages, which is what costs CPU on both sides. And the bytes
// Redis received and sent, which show what a command's arguments weigh (a pool's state per swap).
import { createRedis } from '../../src/infra/redis.js';

export interface RedisWork {
  /** commands per unit, largest first (those above 0.05 per unit) */
  commands: Record<string, number>;
  /** socket reads (messages from clients) and writes (replies, pub/sub deliveries) per unit */
  readsPerUnit: number;
  writesPerUnit: number;
  /** bytes Redis received from its clients and sent to them, per unit */
  bytesInPerUnit: number;
  bytesOutPerUnit: number;
}

async function counters(redisUrl: string): Promise<Map<string, number>> {
  const redis = await createRedis(redisUrl, { name: 'bench-commandstats' });
  try {
    const [commandstats, stats] = [await redis.info('commandstats'), await redis.info('stats')];
    const calls = new Map<string, number>();
    for (const match of commandstats.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
    for (const match of stats.matchAll(/^total_(reads|writes)_processed:(\d+)/gm)) calls.set(`(${match[1]})`, Number(match[2]));
    for (const match of stats.matchAll(/^total_net_(input|output)_bytes:(\d+)/gm)) calls.set(`(${match[1]} bytes)`, Number(match[2]));
    return calls;
  } finally {
    redis.disconnect();
  }
}

/** Starts counting; `stop(units)` gives the work per unit. */
export async function countCommands(redisUrl: string): Promise<{ stop(units: number): Promise<RedisWork> }> {
  const before = await counters(redisUrl);
  return {
    async stop(units: number) {
      const after = await counters(redisUrl);
      const per = (name: string) => ((after.get(name) ?? 0) - (before.get(name) ?? 0)) / units;
      const perUnit = [...after.keys()]
        .filter((name) => !name.startsWith('('))
        .map((name) => [name, per(name)] as const)
        .filter(([, n]) => n >= 0.05)
        .sort((a, b) => b[1] - a[1]);
      const r2 = (n: number) => Math.round(n * 100) / 100;
      return {
        commands: Object.fromEntries(perUnit.map(([name, n]) => [name, r2(n)])),
        readsPerUnit: r2(per('(reads)')),
        writesPerUnit: r2(per('(writes)')),
        bytesInPerUnit: Math.round(per('(input bytes)')),
        bytesOutPerUnit: Math.round(per('(output bytes)')),
      };
    },
  };
}
