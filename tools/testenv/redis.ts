import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onProcessExit } from './cleanup-on-exit.js';
import { findFreePort } from './free-port.js';
import { ServiceUnavailable } from './service-unavailable.js';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const REDIS_SERVER_BIN = '/usr/bin/redis-server';
const REDIS_HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const START_ATTEMPTS_MAX = 3;
const OUTPUT_KEPT_CHARS_MAX = 4_000;

export function findRedisServer(): string {
  if (!existsSync(REDIS_SERVER_BIN)) {
    throw new ServiceUnavailable('redis', `${REDIS_SERVER_BIN} is missing (apt-get install -y redis-server)`);
  }
  return REDIS_SERVER_BIN;
}

/** Starts a redis-server on a free loopback port that keeps nothing on disk. */
export async function startRedis(): Promise<RedisServer> {
  findRedisServer();
  const dir = await mkdtemp(join(tmpdir(), 'guitai-redis-'));
  let lastError: unknown;
  // Another process can take the probed port before redis binds it; try a new one then.
  for (let attempt = 1; attempt <= START_ATTEMPTS_MAX; attempt++) {
    const port = await findFreePort();
    try {
      const child = await spawnReady(port, dir);
      return {
        url: `redis://${REDIS_HOST}:${port}`,
        port,
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

function spawnReady(port: number, dir: string): Promise<ChildProcess> {
  const args = [
    '--port', String(port),
    '--bind', REDIS_HOST,
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--loglevel', 'notice',
  ];
  const child = spawn(REDIS_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const forgetCleanup = onProcessExit(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  child.once('exit', forgetCleanup);

  return new Promise((resolve, reject) => {
    let output = '';
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} ${reason}\n${output}`));
    };
    const timer = setTimeout(() => fail(`was not ready after ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    const onOutput = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS_MAX);
      if (!settled && output.includes('Ready to accept connections')) {
        settled = true;
        clearTimeout(timer);
        child.stdout?.removeListener('data', onOutput);
        child.stderr?.removeListener('data', onOutput);
        // Keep draining so a full pipe never blocks the server.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`exited early (${code ?? signal})`));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
