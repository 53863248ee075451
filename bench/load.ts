import autocannon from 'autocannon';

/** Load from this process against a server in another, so the two share the machine's cores, not an event loop. */
export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export const bench_warmup_seconds = 2;
export const bench_duration_seconds = 8;
export const bench_connections = 8;

export async function load(url: string, headers: Record<string, string> = {}, seconds = bench_duration_seconds): Promise<LoadResult> {
  const run = (duration: number) => autocannon({ url, headers, connections: bench_connections, duration, pipelining: 1 });
  await run(bench_warmup_seconds);
  const result = await run(seconds);
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
