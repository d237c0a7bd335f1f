// A Redis server of the test's own, so flushing it, stopping it, restarting it or dropping its
// clients touches no other test. Stopped when the test ends.
import { onTestFinished } from 'vitest';
import { startLocalRedis } from '../../src/infra/local-redis.js';
import { freePort } from './processes.js';

export async function ownRedis() {
  const port = await freePort();
  let server = await startLocalRedis({ port });
  onTestFinished(() => server.stop());
  const stop = () => server.stop();
  const start = async () => {
    server = await startLocalRedis({ port });
  };
  return {
    url: server.url,
    /** Redis gone: nothing listens on its port until start() */
    stop,
    /** back on the same port, empty (it keeps nothing on disk) */
    start,
    async restart() {
      await stop();
      await start();
    },
  };
}
