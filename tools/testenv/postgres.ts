import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onProcessExit, removeDirAfterExit } from './cleanup-on-exit.js';
import { findFreePort } from './free-port.js';
import { runCommand } from './run-command.js';
import { ServiceUnavailable } from './service-unavailable.js';

export interface PostgresServer {
  url: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** The database created for the caller; `guitai_test` unless given. */
  database?: string;
}

const PG_ROOT = '/usr/lib/postgresql';
const PG_HOST = '127.0.0.1';
const PG_SUPERUSER = 'postgres';
const DEFAULT_DATABASE = 'guitai_test';
const INITDB_TIMEOUT_MS = 60_000;
const PG_CTL_TIMEOUT_MS = 60_000;
const PG_READY_TIMEOUT_S = 30;
const START_ATTEMPTS_MAX = 3;

/** Finds the newest `/usr/lib/postgresql/<major>/bin` that holds initdb and pg_ctl. */
export function findPostgresBin(root: string = PG_ROOT): string {
  if (!existsSync(root)) {
    throw new ServiceUnavailable('postgres', `${root} is missing (apt-get install -y postgresql)`);
  }
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(root, major, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  throw new ServiceUnavailable('postgres', `no initdb and pg_ctl under ${root}/*/bin`);
}

/** Who runs the server: as root, the `postgres` system user, since initdb refuses root. */
interface ServerUser {
  run(program: string, args: readonly string[], timeoutMs: number): ReturnType<typeof runCommand>;
  ownDirectory(dir: string): Promise<void>;
}

async function serverUser(): Promise<ServerUser> {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    return { run: runCommand, ownDirectory: async () => {} };
  }
  let ids: { uid: number; gid: number };
  try {
    const uid = Number((await runCommand('id', ['-u', PG_SUPERUSER], 5_000)).stdout.trim());
    const gid = Number((await runCommand('id', ['-g', PG_SUPERUSER], 5_000)).stdout.trim());
    ids = { uid, gid };
  } catch {
    throw new ServiceUnavailable('postgres', `running as root and there is no '${PG_SUPERUSER}' system user to run initdb`);
  }
  return {
    run: (program, args, timeoutMs) => runCommand('runuser', ['-u', PG_SUPERUSER, '--', program, ...args], timeoutMs),
    ownDirectory: (dir) => chown(dir, ids.uid, ids.gid),
  };
}

/**
 * Starts a throwaway Postgres server on a free loopback port, with its data in
 * a fresh temporary directory that `stop()` removes. Durability is switched
 * off because the data lives only as long as one test run.
 */
export async function startPostgres(opts: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const user = await serverUser();
  const database = opts.database ?? DEFAULT_DATABASE;
  const dir = await mkdtemp(join(tmpdir(), 'guitai-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  let started = false;
  const forgetCleanup = onProcessExit(() => killAndRemoveLater(dataDir, dir));

  const stop = async () => {
    forgetCleanup();
    if (started) {
      started = false;
      try {
        await user.run(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], PG_CTL_TIMEOUT_MS);
      } catch {
        killAndRemoveLater(dataDir, dir);
        return;
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await user.ownDirectory(dir);
    await user.run(
      join(bin, 'initdb'),
      ['-D', dataDir, '--auth=trust', '--no-sync', '-U', PG_SUPERUSER, '--encoding=UTF8', '--locale=C'],
      INITDB_TIMEOUT_MS,
    );
    const port = await startOnFreePort(bin, user, dataDir, dir, logFile);
    started = true;
    await runCommand(
      join(bin, 'createdb'),
      ['-h', PG_HOST, '-p', String(port), '-U', PG_SUPERUSER, database],
      PG_CTL_TIMEOUT_MS,
    );
    return {
      url: `postgres://${PG_SUPERUSER}@${PG_HOST}:${port}/${database}`,
      host: PG_HOST,
      port,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startOnFreePort(
  bin: string,
  user: ServerUser,
  dataDir: string,
  socketDir: string,
  logFile: string,
): Promise<number> {
  let lastError: unknown;
  // Another process can take the probed port before postgres binds it; try a new one then.
  for (let attempt = 1; attempt <= START_ATTEMPTS_MAX; attempt++) {
    const port = await findFreePort();
    const serverOptions = [
      `-h ${PG_HOST}`,
      `-p ${port}`,
      `-k ${socketDir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    try {
      await user.run(
        join(bin, 'pg_ctl'),
        ['-D', dataDir, '-l', logFile, '-w', '-t', String(PG_READY_TIMEOUT_S), '-o', serverOptions, 'start'],
        PG_CTL_TIMEOUT_MS,
      );
      return port;
    } catch (error) {
      lastError = new Error(`${(error as Error).message}\n${readLogTail(logFile)}`);
    }
  }
  throw lastError;
}

function readLogTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no server log)';
  }
}

/** Last resort when the process ends: the postmaster shuts down at once on SIGQUIT. */
function killAndRemoveLater(dataDir: string, dir: string): void {
  let pid: number | undefined;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGQUIT');
  } catch {
    // No pid file or no such process: the server never started or has stopped already.
  }
  removeDirAfterExit(dir, pid);
}
