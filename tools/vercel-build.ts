/**
 * Vercel's build command (`vercel.json` → buildCommand). For production and
 * previews it first checks the environment the function will start with,
 * then builds the public H5 pages, then migrates the deployment's database,
 * so new code never serves an old schema and nobody has to remember to
 * migrate. `vercel build` runs the same step offline, which is how
 * `npm run check:deploy` proves it.
 *
 * Migrations run last so that a failed front-end build changes nothing; they
 * must stay compatible with the code still serving until the new deployment
 * takes over (add first, remove in a later deploy).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { claimDatabase, databaseHost, DatabaseClaimError, productionClaims } from '../api/_db/claims.js';
import { connect } from '../api/_db/connect.js';
import { migrate } from '../api/_db/migrator.js';
import { forgetTestBuild } from './h5-build.js';
import { configFromEnv } from '../api/_kernel/config.js';
import { deploymentEnvironment, isDeployed } from '../api/_kernel/environment.js';

const ROOT = join(import.meta.dirname, '..');

function buildH5(): Promise<void> {
  // The folder is about to hold the public build, without the sandbox: the browser tests must not take it for theirs.
  forgetTestBuild();
  return new Promise((resolve, reject) => {
    // The public H5 build leaves the sandbox sign-in out (TARO_APP_SANDBOX empty).
    const child = spawn('npm', ['run', 'build:h5'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, TARO_APP_SANDBOX: '' } });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the H5 build failed (exit ${code})`))));
  });
}

/** Neon's integration gives the direct URL as DATABASE_URL_UNPOOLED; DDL belongs on a direct connection. */
function migrationUrl(env: NodeJS.ProcessEnv): string {
  return env.MIGRATION_DATABASE_URL?.trim() || env.DATABASE_URL_UNPOOLED?.trim() || env.DATABASE_URL!.trim();
}

async function migrateDeployment(environment: 'production' | 'preview'): Promise<void> {
  const host = databaseHost(process.env.DATABASE_URL!);
  const handle = await connect(migrationUrl(process.env), process.env.DATABASE_DRIVER);
  try {
    // A preview must not change production's schema: look before migrating, and claim after.
    if (environment === 'preview' && (await productionClaims(handle.db, host))) {
      throw new DatabaseClaimError(`the database at ${host} is production's: give previews their own DATABASE_URL (a Neon branch)`);
    }
    const applied = await migrate(handle.db);
    await claimDatabase(handle.db, environment, host);
    console.log(`migrations on ${host} (${environment}): ${applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply'}`);
  } finally {
    await handle.close();
  }
}

const environment = deploymentEnvironment(process.env);
try {
  if (isDeployed(environment)) {
    // The function would refuse to start with these settings: fail the build instead, with every reason.
    configFromEnv(process.env);
  }
  await buildH5();
  if (environment === 'production' || environment === 'preview') await migrateDeployment(environment);
  else console.log(`migrations skipped: VERCEL_ENV is ${process.env.VERCEL_ENV ?? 'unset'} (${environment}); run tools/migrate.ts against a database of your own`);
} catch (error) {
  console.error(`vercel build step failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
