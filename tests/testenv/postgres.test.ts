import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPostgresBin, startPostgres, type PostgresServer } from '../../tools/testenv/postgres.js';
import { ServiceUnavailable, unavailableReason } from '../../tools/testenv/service-unavailable.js';
import { createTestDatabase } from '../_support/pg.js';
import { requireThat } from '../_support/requires.js';

const missing = unavailableReason(() => findPostgresBin());

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

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

describe('findPostgresBin', () => {
  it('throws ServiceUnavailable with the reason when the binaries are absent', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'guitai-nopg-'));
    try {
      expect(() => findPostgresBin(join(empty, 'missing'))).toThrow(ServiceUnavailable);
      expect(() => findPostgresBin(empty)).toThrow(/no initdb and pg_ctl/);
    } finally {
      await rm(empty, { recursive: true });
    }
  });
});

describe.skipIf(!requireThat(missing === undefined, missing ?? ''))('startPostgres', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('serves the guitai_test database on a loopback port', async () => {
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/guitai_test`);
    const rows = await query<{ db: string }>(server.url, 'SELECT current_database() AS db');
    expect(rows).toEqual([{ db: 'guitai_test' }]);
  });

  it('gives each suite a database of its own that drop() removes', async () => {
    const first = await createTestDatabase(server.url);
    const second = await createTestDatabase(server.url);
    try {
      expect(first.url).not.toBe(second.url);
      await query(first.url, 'CREATE TABLE t (x int); INSERT INTO t VALUES (1)');
      await query(second.url, 'CREATE TABLE t (x int)');
      expect(await query(second.url, 'SELECT * FROM t')).toEqual([]);
      expect(await query(first.url, 'SELECT * FROM t')).toEqual([{ x: 1 }]);
    } finally {
      await first.drop();
      await second.drop();
    }
    const left = await query<{ datname: string }>(
      server.url,
      "SELECT datname FROM pg_database WHERE datname LIKE 'guitai_t\\_%'",
    );
    expect(left).toEqual([]);
  });

  it('stops the server and removes its files', async () => {
    const other = await startPostgres({ database: 'other_db' });
    let dataDir: string;
    try {
      const rows = await query<{ dir: string }>(other.url, "SELECT current_setting('data_directory') AS dir");
      dataDir = rows[0]?.dir ?? '';
      expect(existsSync(dataDir)).toBe(true);
    } finally {
      await other.stop();
    }
    expect(existsSync(dataDir)).toBe(false);
    expect(await portAccepts(other.port)).toBe(false);
  });
});
