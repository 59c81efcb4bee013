/**
 * ioredis and the socket.io Redis adapter, loaded the first time a node configured with REDIS_URL
 * needs them. A single node never loads them: together they were about a tenth of start-up time
 * (bench/src/startup.mjs, docs/performance.md). Both are CommonJS, so a synchronous require keeps the
 * constructors that use them synchronous.
 */
import { createRequire } from 'node:module';
import type * as IoRedis from 'ioredis';
import type * as RedisAdapter from '@socket.io/redis-adapter';

const require = createRequire(import.meta.url);

export const loadIoRedis = (): typeof IoRedis => require('ioredis') as typeof IoRedis;
export const loadRedisAdapter = (): typeof RedisAdapter => require('@socket.io/redis-adapter') as typeof RedisAdapter;
