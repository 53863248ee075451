import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { findPostgresBin } from '../../tools/testenv/postgres.js';
import { findRedisServer } from '../../tools/testenv/redis.js';
import { unavailableReason } from '../../tools/testenv/service-unavailable.js';
import { requireThat } from '../_support/requires.js';

const missing = unavailableReason(() => {
  findPostgresBin();
  findRedisServer();
});
const FIXTURE = join(import.meta.dirname, 'fixtures', 'start-and-wait.ts');
const GONE_WAIT_MS_MAX = 15_000;

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + GONE_WAIT_MS_MAX;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

describe.skipIf(!requireThat(missing === undefined, missing ?? ''))('servers of a killed process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stop and leave no files after %s', async (signal) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let output = '';
    for await (const chunk of child.stdout) {
      output += String(chunk);
      if (output.includes('\n')) break;
    }
    const started = JSON.parse(output) as { pgPort: number; pgDataDir: string; redisPort: number };
    expect(await portAccepts(started.pgPort)).toBe(true);
    expect(await portAccepts(started.redisPort)).toBe(true);
    expect(existsSync(started.pgDataDir)).toBe(true);

    child.kill(signal);
    await exited;

    expect(await eventually(async () => !(await portAccepts(started.pgPort)))).toBe(true);
    expect(await eventually(async () => !(await portAccepts(started.redisPort)))).toBe(true);
    expect(await eventually(async () => !existsSync(started.pgDataDir))).toBe(true);
  });
});
