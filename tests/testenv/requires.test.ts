import { afterEach, describe, expect, it, vi } from 'vitest';
import { requireEnv, requireThat } from '../_support/requires.js';

const VAR = 'GUITAI_TEST_REQUIRES_PROBE';

describe('requireEnv', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('returns the value when the variable is set', () => {
    vi.stubEnv(VAR, 'postgres://x');
    expect(requireEnv(VAR, 'no server')).toBe('postgres://x');
  });

  it('skips with a SKIPPED line naming the suite when the variable is missing outside CI', () => {
    vi.stubEnv('CI', '');
    vi.stubEnv(VAR, '');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(requireEnv(VAR, 'no server')).toBe('');
    expect(log).toHaveBeenCalledWith(
      `SKIPPED tests/testenv/requires.test.ts: no server (${VAR} is not set)`,
    );
  });

  it('throws under CI=true instead of skipping', () => {
    vi.stubEnv('CI', 'true');
    vi.stubEnv(VAR, '');
    expect(() => requireEnv(VAR, 'no server')).toThrow(/lacks: no server/);
    expect(() => requireThat(false, 'no chromium')).toThrow(/no chromium/);
    expect(requireThat(true, 'unused')).toBe(true);
  });
});
