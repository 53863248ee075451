import { describe, expect, it } from 'vitest';
import { backoffMs, request_attempts_max, retry_delay_max_ms, shouldRetry } from '../../src/services/retry';

describe('shouldRetry', () => {
  it.each([
    [{ kind: 'network' } as const, 'GET', 1, true],
    [{ kind: 'network' } as const, 'POST', 1, true],
    [{ kind: 'http', status: 503 } as const, 'GET', 1, true],
    [{ kind: 'http', status: 502 } as const, 'POST', 1, false],
    [{ kind: 'http', status: 500 } as const, 'GET', 1, false],
    [{ kind: 'http', status: 400 } as const, 'GET', 1, false],
    [{ kind: 'http', status: 401 } as const, 'GET', 1, false],
    [{ kind: 'http', status: 404 } as const, 'GET', 1, false],
    [{ kind: 'http', status: 429 } as const, 'GET', 1, false],
  ])('%o %s attempt %i → %s', (failure, method, attempt, expected) => {
    expect(shouldRetry(failure, method, attempt)).toBe(expected);
  });

  it('stops at the attempt limit', () => {
    expect(shouldRetry({ kind: 'network' }, 'GET', request_attempts_max - 1)).toBe(true);
    expect(shouldRetry({ kind: 'network' }, 'GET', request_attempts_max)).toBe(false);
  });
});

describe('backoffMs', () => {
  it('grows with the attempt and stays within the ceiling', () => {
    const low = (attempt: number) => backoffMs(attempt, () => 0);
    const high = (attempt: number) => backoffMs(attempt, () => 1);
    expect(low(1)).toBeLessThan(low(2));
    expect(high(1)).toBeLessThanOrEqual(low(2) * 2);
    for (let attempt = 1; attempt <= 20; attempt++) {
      expect(high(attempt)).toBeLessThanOrEqual(retry_delay_max_ms);
      expect(low(attempt)).toBeGreaterThan(0);
    }
  });
});
