import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { connect, type DatabaseHandle } from '../../api/_db/connect';
import { openEmbedded } from '../../api/_db/embedded';
import { migrate, migrations, schemaStatus } from '../../api/_db/migrator';
import { claimDatabase, databaseHost, DatabaseClaimError, productionClaims } from '../../api/_db/claims';

describe('database host as claimed', () => {
  it("drops Neon's -pooler suffix, so the pooled and the direct URL are one database", () => {
    expect(databaseHost('postgres://u:p@ep-cool-1-pooler.eu-central-1.aws.neon.tech/db')).toBe('ep-cool-1.eu-central-1.aws.neon.tech');
    expect(databaseHost('postgres://u:p@EP-COOL-1.eu-central-1.aws.neon.tech/db')).toBe('ep-cool-1.eu-central-1.aws.neon.tech');
    expect(databaseHost('postgres://u:p@127.0.0.1:5432/db')).toBe('127.0.0.1');
  });
});

/** The status reads through plain statements, as the health check does. */
const rawQuery = (handle: DatabaseHandle) => <R,>(_name: string, text: string) => sql.raw(text).execute(handle.db).then((r) => r.rows as R[]);

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`schema status and deployment claims on ${target.name}`, () => {
    let handle: DatabaseHandle;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const created = await target.create();
      drop = created.drop;
      handle = await connect(created.url, created.driver, openEmbedded);
    });
    afterAll(async () => {
      await handle?.close();
      await drop?.();
    });

    it('says an empty database is behind by every migration, then up to date once migrated', async () => {
      const before = await schemaStatus(rawQuery(handle));
      expect(before.current).toBeNull();
      expect(before.pending).toEqual(migrations.map((m) => m.name));
      await migrate(handle.db);
      const after = await schemaStatus(rawQuery(handle));
      expect(after).toEqual({ latest: migrations.at(-1)!.name, current: migrations.at(-1)!.name, pending: [], unknown: [] });
      // Every migration from nothing on PGlite takes seconds alone and far longer beside the other suites on two cores.
    }, 90_000);

    it('names migrations the code does not know: an older deployment on a newer schema', async () => {
      await sql`insert into schema_migrations (name) values ('9999_from_the_future')`.execute(handle.db);
      expect((await schemaStatus(rawQuery(handle))).unknown).toEqual(['9999_from_the_future']);
      await sql`delete from schema_migrations where name = '9999_from_the_future'`.execute(handle.db);
    });

    it("refuses a preview on production's database, and production on a preview's", async () => {
      await claimDatabase(handle.db, 'production', 'ep-prod.neon.tech');
      await claimDatabase(handle.db, 'production', 'ep-prod.neon.tech');
      expect(await productionClaims(handle.db, 'ep-prod.neon.tech')).toBe(true);
      await expect(claimDatabase(handle.db, 'preview', 'ep-prod.neon.tech')).rejects.toThrow(DatabaseClaimError);
      // A Neon branch is a copy, production's claim included, under a host of its own: fine.
      await claimDatabase(handle.db, 'preview', 'ep-branch.neon.tech');
      expect(await productionClaims(handle.db, 'ep-branch.neon.tech')).toBe(false);
      await expect(claimDatabase(handle.db, 'production', 'ep-branch.neon.tech')).rejects.toThrow(/has served previews/);
      const rows = await sql<{ environment: string; database_host: string }>`select environment, database_host from deployment_claims order by 1, 2`.execute(handle.db);
      expect(rows.rows).toEqual([
        { environment: 'preview', database_host: 'ep-branch.neon.tech' },
        { environment: 'production', database_host: 'ep-prod.neon.tech' },
      ]);
    });
  });
}
