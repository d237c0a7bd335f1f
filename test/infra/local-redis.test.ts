import { describe, expect, it } from 'vitest';
import { findRedisServer, ping, RedisServerNotFoundError, startLocalRedis } from '../../src/infra/local-redis.js';

const PORT = 63819; // this file's own

describe('startLocalRedis', () => {
  it('starts redis-server on its port, keeping nothing on disk, and stops it', async () => {
    const redis = await startLocalRedis({ port: PORT });
    try {
      expect(redis).toMatchObject({ url: `redis://127.0.0.1:${PORT}`, started: true });
      expect(await ping(PORT)).toBe('PONG');
    } finally {
      await redis.stop();
    }
    expect(await ping(PORT)).toBeNull();
  });

  it('reuses a Redis that already answers on the port, and leaves it running', async () => {
    const owner = await startLocalRedis({ port: PORT });
    try {
      const second = await startLocalRedis({ port: PORT });
      expect(second.started).toBe(false);
      await second.stop();
      expect(await ping(PORT)).toBe('PONG');
    } finally {
      await owner.stop();
    }
  });

  it('says how to get redis-server when there is none', async () => {
    const previous = process.env.REDIS_SERVER_BIN;
    process.env.REDIS_SERVER_BIN = '/nonexistent/redis-server';
    try {
      const error = await startLocalRedis({ port: PORT }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisServerNotFoundError);
      const message = (error as Error).message;
      expect(message).toContain('sudo apt-get install -y redis-server');
      expect(message).toContain('brew install redis');
      expect(message).toContain('docker compose up -d redis');
      expect(message).toContain('REDIS_URL=redis://127.0.0.1:6379');
    } finally {
      if (previous === undefined) delete process.env.REDIS_SERVER_BIN;
      else process.env.REDIS_SERVER_BIN = previous;
    }
  });

  it('finds redis-server through REDIS_SERVER_BIN first, then PATH', () => {
    const onPath = findRedisServer({ PATH: process.env.PATH });
    expect(onPath).toMatch(/redis-server$/);
    expect(findRedisServer({ PATH: '', REDIS_SERVER_BIN: onPath! })).toBe(onPath);
    expect(findRedisServer({ PATH: process.env.PATH, REDIS_SERVER_BIN: '/nonexistent/redis-server' })).toBeNull();
  });
});
