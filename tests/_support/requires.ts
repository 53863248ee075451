import { relative } from 'node:path';
import { expect } from 'vitest';

/**
 * Gates a suite on something the machine may lack. Locally a missing service
 * skips the suite with a `SKIPPED <suite>: <reason>` line; under `CI=true` it
 * throws instead, so CI can never pass by skipping.
 *
 * @example
 * const pgUrl = requireEnv('GUITAI_TEST_PG_URL', 'no Postgres server on this machine');
 * describe.skipIf(!pgUrl)('orders on Postgres', () => { ... });
 */
export function requireEnv(name: string, reason: string): string {
  const value = process.env[name] ?? '';
  requireThat(value !== '', `${reason} (${name} is not set)`);
  return value;
}

/** Returns whether the suite may run; see `requireEnv`. */
export function requireThat(available: boolean, reason: string): boolean {
  if (available) return true;
  const suite = currentSuiteFile();
  if (process.env.CI === 'true') {
    throw new Error(`${suite} needs what this CI machine lacks: ${reason}`);
  }
  console.log(`SKIPPED ${suite}: ${reason}`);
  return false;
}

function currentSuiteFile(): string {
  const testPath = expect.getState().testPath;
  return testPath ? relative(process.cwd(), testPath) : 'a suite';
}
