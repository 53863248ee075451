import { connect } from '../api/_db/connect.js';
import { openEmbedded } from '../api/_db/embedded.js';
import { migrate } from '../api/_db/migrator.js';

/**
 * Applies pending migrations to DATABASE_URL by hand. Deployments on Vercel
 * migrate in their build step (tools/vercel-build.ts); this is for a
 * database of your own, or the embedded one (`pglite:<dir>`).
 */
const handle = await connect(process.env.DATABASE_URL, process.env.DATABASE_DRIVER, openEmbedded);
try {
  const applied = await migrate(handle.db);
  console.log(applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply');
} finally {
  await handle.close();
}
