import { Pool } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configureNeonForLocal, startNeonWsProxy, type NeonWsProxy } from '../../tools/testenv/neon-proxy.js';
import { findPostgresBin, startPostgres, type PostgresServer } from '../../tools/testenv/postgres.js';
import { unavailableReason } from '../../tools/testenv/service-unavailable.js';
import { requireThat } from '../_support/requires.js';

const missing = unavailableReason(() => findPostgresBin());

describe.skipIf(!requireThat(missing === undefined, missing ?? ''))('Neon driver through the local proxy', () => {
  let server: PostgresServer;
  let proxy: NeonWsProxy;
  let pool: Pool;

  beforeAll(async () => {
    [server, proxy] = await Promise.all([startPostgres(), startNeonWsProxy()]);
    configureNeonForLocal(proxy.port);
    pool = new Pool({ connectionString: server.url });
    await pool.query('CREATE TABLE stock (sku text PRIMARY KEY, qty int NOT NULL)');
  });

  afterAll(async () => {
    await pool?.end();
    await proxy?.stop();
    await server?.stop();
  });

  it('runs an interactive transaction that rolls back', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO stock VALUES ($1, $2)', ['tea', 3]);
      const inside = await client.query('SELECT qty FROM stock WHERE sku = $1', ['tea']);
      expect(inside.rows).toEqual([{ qty: 3 }]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const after = await pool.query('SELECT count(*)::int AS n FROM stock');
    expect(after.rows).toEqual([{ n: 0 }]);
  });

  it('keeps what a committed transaction wrote', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO stock VALUES ($1, $2)', ['rice', 7]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const after = await pool.query('SELECT sku, qty FROM stock');
    expect(after.rows).toEqual([{ sku: 'rice', qty: 7 }]);
  });

  it('refuses to proxy to a host that is not local', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${proxy.port}/v2?address=example.com:5432`);
    const code = await new Promise<number>((resolve) => socket.once('close', resolve));
    expect(code).toBe(1008);
  });
});
