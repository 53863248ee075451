import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { connect, driverFor, type DatabaseHandle } from '../../api/_db/connect';
import { openEmbedded } from '../../api/_db/embedded';
import { migrate, migrations } from '../../api/_db/migrator';
import type { DB } from '../../api/_db/schema';

describe('driver choice', () => {
  it('reads the driver from the URL, with an override', () => {
    expect(driverFor(undefined)).toBe('pglite');
    expect(driverFor('pglite:.data/x')).toBe('pglite');
    expect(driverFor('postgres://u:p@ep-cool-1.eu-central-1.aws.neon.tech/db')).toBe('neon');
    expect(driverFor('postgres://u@127.0.0.1:5432/db')).toBe('pg');
    expect(driverFor('postgres://u@127.0.0.1:5432/db', 'neon')).toBe('neon');
  });
});

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`database layer on ${target.name}`, () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;
    let db: Kysely<DB>;

    beforeAll(async () => {
      const created = await target.create();
      drop = created.drop;
      handle = await connect(created.url, created.driver, openEmbedded);
      db = handle.db;
      await migrate(db);
      await db.insertInto('merchants').values({ id: 'mch_t', name: 't' }).execute();
    });
    afterAll(async () => {
      await handle?.close();
      await drop?.();
    });

    it('migrates once: a second run applies nothing', async () => {
      expect(await migrate(db)).toEqual([]);
      const rows = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(db);
      expect(rows.rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    });

    it('reads bigint as a safe integer and date as a plain day', async () => {
      const r = await sql<{ n: number; d: string }>`select 9007199254740991::bigint as n, date '2026-02-03' as d`.execute(db);
      expect(r.rows[0]).toEqual({ n: 9007199254740991, d: '2026-02-03' });
      await expect(sql`select 9007199254740993::bigint as n`.execute(db)).rejects.toThrow(/safe integer/);
    });

    it('reports affected rows, so compare-and-set can see that it lost', async () => {
      const hit = await db.updateTable('merchants').set({ name: 'u' }).where('id', '=', 'mch_t').where('name', '=', 't').executeTakeFirst();
      const miss = await db.updateTable('merchants').set({ name: 'v' }).where('id', '=', 'mch_t').where('name', '=', 't').executeTakeFirst();
      expect([hit.numUpdatedRows, miss.numUpdatedRows]).toEqual([1n, 0n]);
    });

    it('keeps a rolled-back transaction out, even while another one commits', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const failing = db.transaction().execute(async (trx) => {
        await trx.insertInto('merchants').values({ id: 'mch_rolled_back', name: 'x' }).execute();
        await gate;
        throw new Error('roll me back');
      });
      const committing = db.transaction().execute(async (trx) => {
        await trx.insertInto('merchants').values({ id: 'mch_committed', name: 'y' }).execute();
      });
      // On PGlite the second transaction waits for the first; on a server it runs beside it.
      setTimeout(release, 20);
      await expect(failing).rejects.toThrow('roll me back');
      await committing;
      const ids = (await db.selectFrom('merchants').select('id').where('id', 'in', ['mch_rolled_back', 'mch_committed']).execute()).map((r) => r.id);
      expect(ids).toEqual(['mch_committed']);
    });

    it('enforces the constraints that correctness rests on', async () => {
      await expect(db.insertInto('stores').values({ id: 'sto_x', merchant_id: 'mch_t', code: 'bad code', name: 'x' }).execute()).rejects.toThrow();
      await expect(db.insertInto('staff').values({ id: 'stf_x', merchant_id: 'mch_t', name: 'x', role: 'boss' as 'owner' }).execute()).rejects.toThrow();
    });
  });
}
