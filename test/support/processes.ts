// Product processes owned by the running test: started like `npm run api` / `npm run worker` / `npm start`
// (test/support/spawned.ts) and stopped when the test ends, whatever happened to them.
import { onTestFinished } from 'vitest';
import { spawnApi, spawnRole, type Role, type SpawnedRole } from './spawned.js';

export { freePort } from './spawned.js';

export async function startRole(role: Role, env: Record<string, string>): Promise<SpawnedRole> {
  return stoppedWhenTheTestEnds(await spawnRole(role, env));
}

/** An API process of the test's own (spawnApi), with its URL. */
export async function startApiProcess(env: Record<string, string>): Promise<SpawnedRole & { url: string }> {
  return stoppedWhenTheTestEnds(await spawnApi(env));
}

function stoppedWhenTheTestEnds<T extends SpawnedRole>(spawned: T): T {
  onTestFinished(async () => {
    await spawned.stop();
  });
  return spawned;
}

/** Short job locks, so a killed worker's order is found stalled within ~3 s instead of ~15 s. */
export const FAST_STALL = { JOB_LOCK_MS: '2000', STALLED_INTERVAL_MS: '1000' };

/** The environment that makes a spawned role join `config`'s queue and simulated market. */
export function roleEnv(config: { engine: { queueName: string }; sim: { namespace: string } }, extra: Record<string, string> = {}) {
  return {
    QUEUE_NAME: config.engine.queueName,
    SIM_NAMESPACE: config.sim.namespace,
    SIM_QUOTE_MS: '0',
    SIM_CONFIRM_MS: '0',
    SIM_FLOW_MS: '0',
    RETRY_BASE_MS: '5',
    ...extra,
  };
}
