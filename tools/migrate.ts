import { connect } from '../api/_db/connect';
import { migrate } from '../api/_db/migrator';

/** Applies pending migrations to DATABASE_URL: run once per deploy, before traffic reaches the new code. */
const handle = await connect(process.env.DATABASE_URL, process.env.DATABASE_DRIVER);
try {
  const applied = await migrate(handle.db);
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply');
} finally {
  await handle.close();
}
