// Shared by the process entry points: find or start PostgreSQL and Redis, then shut down in
// order on SIGINT/SIGTERM.
import { loadConfig } from './config.js';
import { bootstrapInfrastructure } from './infra/bootstrap.js';
import { createRuntime, type Runtime } from './runtime.js';

export async function bootRuntime(): Promise<{ runtime: Runtime; stopInfrastructure: () => Promise<void> }> {
  const config = loadConfig();
  const infra = await bootstrapInfrastructure();
  const runtime = await createRuntime({ ...config, databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl });
  return { runtime, stopInfrastructure: infra.stop };
}

/** Runs `steps` once on the first SIGINT/SIGTERM, then exits; a second signal exits at once. */
export function onShutdown(steps: () => Promise<void>, graceMs = 30_000): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: shutting down`);
    setTimeout(() => {
      console.error(`shutdown took longer than ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs).unref();
    steps().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
