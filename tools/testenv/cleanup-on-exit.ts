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
