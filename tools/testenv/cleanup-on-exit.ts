import { spawn } from 'node:child_process';

/**
 * Synchronous cleanups for servers a process started, run however it ends:
 * normal exit, or SIGTERM / SIGINT / SIGHUP, which is how vitest stops its
 * fork workers and how a developer stops a run. Without this, a test that
 * never called `stop()` leaves a postgres or redis-server running.
 */
const cleanups = new Set<() => void>();
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
let installed = false;

export function onProcessExit(cleanup: () => void): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // One failed cleanup must not keep the others from running.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', runAll);
  for (const signal of SIGNALS) {
    const onSignal = () => {
      runAll();
      process.removeListener(signal, onSignal);
      // Keep the default behaviour of the signal unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

const REMOVAL_WAIT_POLLS_MAX = 100;
const REMOVAL_POLL_S = 0.1;

/**
 * Removes a directory from a detached shell once `pid` has exited (or after
 * about ten seconds), so that a process being killed need not wait for a
 * server to finish writing, nor for a large removal.
 */
export function removeDirAfterExit(dir: string, pid: number | undefined): void {
  const script = [
    'n=0',
    `while [ -n "$1" ] && [ "$n" -lt ${REMOVAL_WAIT_POLLS_MAX} ] && kill -0 "$1" 2>/dev/null; do`,
    `  sleep ${REMOVAL_POLL_S}; n=$((n + 1))`,
    'done',
    'rm -rf -- "$2"',
  ].join('\n');
  spawn('sh', ['-c', script, 'sh', pid === undefined ? '' : String(pid), dir], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}
