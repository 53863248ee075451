/** How a request attempt failed, as the retry policy sees it. */
export type Failure = { kind: 'network' } | { kind: 'http'; status: number };

/** Attempts in all, the first included. */
export const request_attempts_max = 3;
export const retry_delay_base_ms = 400;
export const retry_delay_max_ms = 4000;

const retryableStatuses = new Set([502, 503, 504]);

/**
 * Network failures are retried for every method: the request most likely never
 * arrived. A gateway error is retried only for GET, since a POST may have been
 * applied (login codes are one-time). A 4xx is the client's fault and never retried.
 */
export function shouldRetry(failure: Failure, method: string, attempt: number): boolean {
  if (attempt >= request_attempts_max) return false;
  if (failure.kind === 'network') return true;
  return method === 'GET' && retryableStatuses.has(failure.status);
}

/** Exponential backoff with full jitter; `attempt` counts from 1 (the attempt that just failed). */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(retry_delay_max_ms, retry_delay_base_ms * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
