import type { StoreSummary } from '../../shared/api/identity';

/** Which stores the owner's figures cover: every store the caller may see, or one of them. */
export type BossScope = { kind: 'all' } | { kind: 'store'; storeId: string };

export interface ScopeOption {
  key: string;
  label: string;
  scope: BossScope;
}

export const all_stores_key = 'all';

/** The switcher is worth showing only when there is more than one store to choose from. */
export function scopeOptions(stores: readonly StoreSummary[]): ScopeOption[] {
  if (stores.length <= 1) return [];
  return [
    { key: all_stores_key, label: '全部门店', scope: { kind: 'all' } },
    ...stores.map((s) => ({ key: s.id, label: s.name, scope: { kind: 'store', storeId: s.id } as const })),
  ];
}

/** A remembered store the caller no longer belongs to falls back to all stores. */
export function resolveScope(savedKey: unknown, stores: readonly StoreSummary[]): BossScope {
  if (typeof savedKey !== 'string' || savedKey === all_stores_key) return { kind: 'all' };
  return stores.some((s) => s.id === savedKey) ? { kind: 'store', storeId: savedKey } : { kind: 'all' };
}

export function scopeKey(scope: BossScope): string {
  return scope.kind === 'all' ? all_stores_key : scope.storeId;
}

/** The API reads a missing storeId as "all of the caller's stores". */
export function scopeQuery(scope: BossScope): { storeId?: string } {
  return scope.kind === 'all' ? {} : { storeId: scope.storeId };
}

export function scopeLabel(scope: BossScope, stores: readonly StoreSummary[]): string {
  if (scope.kind === 'all') return stores.length === 1 ? (stores[0]?.name ?? '') : '全部门店';
  return stores.find((s) => s.id === scope.storeId)?.name ?? '';
}
