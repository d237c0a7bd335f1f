// Connections and services one process needs, whichever role it plays. Built by the process
// entry points and by tests; nothing here runs at import time.
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { AppConfig } from './config.js';
import type { AppServices } from './context.js';
import { OrderEventBus, pubSubReviver } from './engine/order-events.js';
import { createOrderQueue } from './engine/order-queue.js';
import { OrderService } from './engine/order-service.js';
import { OrderStore } from './engine/order-store.js';
import { StreamRechecks } from './engine/stream-rechecks.js';
import { isStoreUnavailable } from './engine/store-availability.js';
import { withTimeout } from './engine/timeout.js';
import { createMarket } from './engine/venues/market.js';
import { createDatabase, reportOutages as reportDatabaseOutages } from './infra/prisma.js';
import { closeRedis, createBullConnection, createRedis, reportOutages } from './infra/redis.js';
import { AccountStore } from './accounts/account-store.js';
import { RateLimiter } from './security/rate-limiter.js';
import { createLogger, everyTenSeconds, type Logger } from './observability/logger.js';
import { createRegistry, type Registry } from './observability/registry.js';

export interface ResolvedConfig extends AppConfig {
  databaseUrl: string;
  redisUrl: string;
}

export interface RuntimeOptions {
  /** the process's logger; default a JSON logger at LOG_LEVEL */
  logger?: Logger;
  /** the process's Prometheus registry, served at /metrics; default a new one */
  metrics?: Registry;
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;

/** Whether each dependency answered a readiness check in time. */
export interface Readiness {
  postgres: boolean;
  redis: boolean;
}

/** How long `/ready` waits for each dependency: under Kubernetes' default probe timeout of 1 s. */
const READY_CHECK_TIMEOUT_MS = 800;

/**
 * How long close() waits for BullMQ to close the queue's connection before dropping it. Its close
 * waits for every command the connection holds, and with Redis gone one it holds (a scrape's read
 * of the job counts, an enqueue that gave up) waits for good: the API was cut off by its shutdown
 * backstop with exit code 1 (taskforcesh/bullmq#4656 is the worker's side of it). Its forced
 * disconnect waits too, for the same bound.
 */
const QUEUE_CLOSE_TIMEOUT_MS = 2_000;

export async function createRuntime(config: ResolvedConfig, options: RuntimeOptions = {}) {
  const logger = options.logger ?? createLogger();
  const metrics = options.metrics ?? createRegistry();
  const database = createDatabase(config.databaseUrl, {
    max: config.databasePoolSize,
    queryTimeoutMs: config.databaseQueryTimeoutMs,
    batchWaitMs: config.databaseBatchWaitMs,
  });
  const { prisma } = database;
  reportDatabaseOutages(database.pool, {
    lost: (error) => logger.warn({ reason: error.message }, 'PostgreSQL connection lost'),
    back: () => logger.info('PostgreSQL connected again'),
    isConnectionLoss: isStoreUnavailable,
  });
  const [redis, subscriber] = await Promise.all([
    // commands issued in the same tick go out as one write: publishes, pool reads and swaps of
    // hundreds of concurrent orders share syscalls
    createRedis(config.redisUrl, { name: 'engine', enableAutoPipelining: true }),
    createRedis(config.redisUrl, { name: 'subscriber' }),
  ]);
  for (const [connection, name] of [[redis, 'engine'], [subscriber, 'subscriber']] as const) {
    reportOutages(
      connection,
      (error) => logger.warn({ reason: error.message, connection: name }, 'Redis connection lost; reconnecting'),
      () => logger.info({ connection: name }, 'Redis connected again'),
    );
  }
  const pubsub = new RedisPubSub({ publisher: redis, subscriber, reviver: pubSubReviver });
  const bullConnection = createBullConnection(config.redisUrl);
  const queue = createOrderQueue(bullConnection, config.engine.queueName);
  // without a listener BullMQ prints each connection error as a stack on stderr, about once a
  // second while Redis is away; the loss itself is logged above, once per outage
  queue.on('error', everyTenSeconds((error: Error) => logger.warn({ reason: error.message }, 'order queue: Redis error')));
  const store = new OrderStore(database);
  const bus = new OrderEventBus(pubsub, subscriber);
  const market = createMarket(redis, database, config.sim, config.engine.failpoints.has('after-swap') ? () => process.kill(process.pid, 'SIGKILL') : undefined);
  const { orderRateLimit, orderRateWindowMs } = config.security;
  const services: AppServices = {
    orders: new OrderService(store, bus, queue),
    store,
    bus,
    rechecks: new StreamRechecks(store, bus, {
      intervalMs: config.streamRecheckMs,
      onError: (error) => logger.warn({ err: error }, 'orderStatus streams: checking PostgreSQL for missed events failed'),
    }),
    ledger: market.journal,
    accounts: new AccountStore(database),
    orderRateLimit: new RateLimiter(redis, 'rate-limit:execute-market-order', { limit: orderRateLimit, windowMs: orderRateWindowMs }, everyTenSeconds((error) =>
      logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'executeMarketOrder rate limit: Redis did not answer; this process applies the limit alone'),
    )),
  };

  return {
    config,
    logger,
    metrics,
    prisma,
    redis,
    queue,
    bullConnection,
    store,
    bus,
    market,
    services,
    /**
     * Whether PostgreSQL and Redis each answer within READY_CHECK_TIMEOUT_MS. Bounded because a
     * stopped Redis holds a command through ioredis's reconnection retries (about 10 s) and a
     * silent network holds it longer: a probe must get its answer in time to act on it.
     */
    async ready(): Promise<Readiness> {
      const answers = (check: Promise<unknown>) =>
        withTimeout(check, READY_CHECK_TIMEOUT_MS).then(
          () => true,
          () => false,
        );
      const [postgres, redisUp] = await Promise.all([answers(prisma.$queryRawUnsafe('SELECT 1')), answers(redis.ping())]);
      return { postgres, redis: redisUp };
    },
    async close(): Promise<void> {
      services.rechecks.close();
      await services.accounts.close();
      // neither BullMQ's close nor its forced disconnect returns while a command waits for a Redis
      // that is gone; the process's orders are in PostgreSQL, so after the bound it stops waiting
      const within = (step: Promise<void>) => {
        const done = step.then(() => true);
        // a failure after the bound is not this close's any more (and must not be unhandled)
        done.catch(() => undefined);
        return Promise.race([done, sleep(QUEUE_CLOSE_TIMEOUT_MS, false, { ref: false })]);
      };
      if (!(await within(queue.close())) && !(await within(queue.disconnect()))) logger.warn({ timeoutMs: QUEUE_CLOSE_TIMEOUT_MS }, 'the order queue did not close its Redis connection; leaving it');
      // not pubsub.close(), whose QUITs fail after seconds of retries when Redis is gone
      await Promise.all([closeRedis(redis), closeRedis(subscriber)]);
      await prisma.$disconnect();
    },
  };
}
