import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createPrisma } from '../../src/infra/prisma.js';
import { createBullConnection, createRedis, type Redis } from '../../src/infra/redis.js';

describe('test infrastructure from test/global-setup.ts', () => {
  it('reaches test files through process.env and inject()', () => {
    expect(process.env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
    expect(process.env.REDIS_URL).toMatch(/^rediss?:\/\//);
    expect(inject('databaseUrl')).toBe(process.env.DATABASE_URL);
    expect(inject('redisUrl')).toBe(process.env.REDIS_URL);
  });

  it('reaches processes that tests spawn', () => {
    const seen = execFileSync(process.execPath, ['-e', 'console.log(process.env.DATABASE_URL + " " + process.env.REDIS_URL)'], { encoding: 'utf8' });
    expect(seen.trim()).toBe(`${process.env.DATABASE_URL} ${process.env.REDIS_URL}`);
  });
});

describe('createPrisma', () => {
  it('queries the migrated database through the pg driver adapter', async () => {
    const prisma = createPrisma(process.env.DATABASE_URL!, { max: 2 });
    try {
      expect(await prisma.order.count({ where: { clientOrderId: 'no such order' } })).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('createRedis', () => {
  const opened: Redis[] = [];
  afterEach(() => {
    for (const redis of opened.splice(0)) redis.disconnect();
  });

  it('resolves once the connection is ready, so a SUBSCRIBE right away receives messages', async () => {
    const sub = await createRedis(process.env.REDIS_URL!, { name: 'test-sub' });
    const pub = await createRedis(process.env.REDIS_URL!, { name: 'test-pub' });
    opened.push(sub, pub);
    expect(sub.status).toBe('ready');

    const channel = `create-redis-test-${Date.now()}`;
    const received = new Promise<string>((resolve) => sub.on('message', (_channel: string, message: string) => resolve(message)));
    await sub.subscribe(channel);
    await pub.publish(channel, 'hello');

    expect(await received).toBe('hello');
    expect(await pub.client('GETNAME')).toBe('test-pub');
  });

  it('rejects, instead of retrying forever, when nothing answers', async () => {
    await expect(createRedis('redis://127.0.0.1:1', { readyTimeoutMs: 500, retryStrategy: () => 50 })).rejects.toThrow(/not ready within 500 ms/);
  });
});

describe('createBullConnection', () => {
  it('turns a URL into ioredis options that never give up on a blocking command', () => {
    expect(createBullConnection('redis://127.0.0.1:63799')).toEqual({ host: '127.0.0.1', port: 63799, maxRetriesPerRequest: null });
    expect(createBullConnection('rediss://user:p%40ss@cache.example:6380/2')).toEqual({
      host: 'cache.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
      maxRetriesPerRequest: null,
    });
  });
});
