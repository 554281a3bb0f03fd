import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis } from './connection.js';

/** The Redis the tests use: `TACTFUL_TEST_REDIS_URL`, default the one `.ci/services.sh` starts. */
export const TEST_REDIS_URL = process.env.TACTFUL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A client on the test Redis, checked; fails with how to start Redis when it is not running (never skips). */
export async function testRedis(): Promise<Redis> {
  const redis = createRedis(TEST_REDIS_URL);
  try {
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (${(error as Error).message}). Start it with \`bash .ci/services.sh\` or set TACTFUL_TEST_REDIS_URL.`,
      { cause: error },
    );
  }
  return redis;
}

/** A key prefix unique to one test: tests running at once never see each other's keys. */
export function freshPrefix(name: string): string {
  return `test:${name}:${randomBytes(5).toString('hex')}:`;
}

/** Every key under a prefix. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}
