import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { migrations } from '../../api/_db/migrator';

const pglite = dbTargets().find((t) => t.name === 'pglite')!;

describe('/api/health and the schema', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(pglite);
  });
  afterAll(async () => api?.stop());

  it('is ok on a migrated database and says which migration it is at', async () => {
    const res = await api.call('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, environment: 'local', schema: { current: migrations.at(-1)!.name, latest: migrations.at(-1)!.name, pending: 0, ok: true } });
  });

  it('answers 503 when the database lacks a migration this code carries', async () => {
    const last = migrations.at(-1)!.name;
    await sql`delete from schema_migrations where name = ${last}`.execute(api.deps.db);
    try {
      const res = await api.call('GET', '/api/health');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ ok: false, schema: { pending: 1, ok: false } });
    } finally {
      await sql`insert into schema_migrations (name) values (${last})`.execute(api.deps.db);
    }
  });
});
