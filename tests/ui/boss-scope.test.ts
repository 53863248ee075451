import { describe, expect, it } from 'vitest';
import { resolveScope, scopeKey, scopeLabel, scopeOptions, scopeQuery } from '../../src/services/boss-scope';

const store = (n: number) => ({ id: `sto_0000000000000000000000000${n}`, code: `DEMO0${n}`, name: `门店${n}`, address: '' });
const one = [store(1)];
const two = [store(1), store(2)];

describe('boss scope', () => {
  it('offers no switcher for a single store, and all plus each store otherwise', () => {
    expect(scopeOptions(one)).toEqual([]);
    expect(scopeOptions(two).map((o) => o.label)).toEqual(['全部门店', '门店1', '门店2']);
  });

  it('falls back to all stores for nothing saved or a store no longer the caller’s', () => {
    expect(resolveScope(undefined, two)).toEqual({ kind: 'all' });
    expect(resolveScope('all', two)).toEqual({ kind: 'all' });
    expect(resolveScope('sto_gone', two)).toEqual({ kind: 'all' });
    expect(resolveScope(store(2).id, two)).toEqual({ kind: 'store', storeId: store(2).id });
  });

  it('leaves storeId out for all stores, which the API reads as every store of the caller', () => {
    expect(scopeQuery({ kind: 'all' })).toEqual({});
    expect(scopeQuery({ kind: 'store', storeId: store(1).id })).toEqual({ storeId: store(1).id });
  });

  it('round-trips through its key and labels the single store by name', () => {
    const scope = { kind: 'store', storeId: store(2).id } as const;
    expect(resolveScope(scopeKey(scope), two)).toEqual(scope);
    expect(scopeLabel({ kind: 'all' }, one)).toBe('门店1');
    expect(scopeLabel({ kind: 'all' }, two)).toBe('全部门店');
    expect(scopeLabel(scope, two)).toBe('门店2');
  });
});
