// A Redis server of the test's own, so flushing it, stopping it, restarting it or dropping its
// clients touches no other test. Stopped when the test ends.
import { onTestFinished } from 'vitest';
import { startLocalRedis } from '../../src/infra/local-redis.js';
import { freePort } from './processes.js';

export async function ownRedis() {
  const port = await freePort();
  let server = await startLocalRedis({ port });
  onTestFinished(() => server.stop());
  return {
    url: server.url,
    /** Redis gone: nothing listens on its port until start() */
    stop: () => server.stop(),
    /** back on the same port, empty (it keeps nothing on disk) */
    async start() {
      server = await startLocalRedis({ port });
    },
    async restart() {
      await server.stop();
      server = await startLocalRedis({ port });
    },
  };
}
