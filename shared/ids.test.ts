import { describe, expect, it, vi } from 'vitest';

describe('ids', () => {
  it('makes prefixed, sortable, unique ids', async () => {
    const { newId, isId } = await import('./ids.js');
    const ids = Array.from({ length: 2000 }, () => newId('order', 1_800_000_000_000));
    expect(new Set(ids).size).toBe(2000);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => isId('order', id))).toBe(true);
    expect(isId('store', ids[0]!)).toBe(false);
  });

  it('works where there is no crypto global, as in the mini-program engines', async () => {
    vi.resetModules();
    const saved = globalThis.crypto;
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    try {
      const { newId, isId } = await import('./ids.js');
      const ids = Array.from({ length: 500 }, () => newId('return'));
      expect(new Set(ids).size).toBe(500);
      expect(ids.every((id) => isId('return', id))).toBe(true);
    } finally {
      Object.defineProperty(globalThis, 'crypto', { value: saved, configurable: true });
    }
  });
});
