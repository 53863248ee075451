import { ScrollView, View } from '@tarojs/components';
import type { BossScope, ScopeOption } from '../../../services/boss-scope';
import { scopeKey } from '../../../services/boss-scope';

interface Props {
  options: readonly ScopeOption[];
  scope: BossScope;
  onChange: (scope: BossScope) => void;
}

/** Chips for "all stores" and each store; shown only to people with more than one store. */
export function StoreSwitcher({ options, scope, onChange }: Props) {
  if (options.length === 0) return null;
  const current = scopeKey(scope);
  return (
    <ScrollView scrollX className='store-switcher' id='store-switcher'>
      {options.map((o) => (
        <View
          key={o.key}
          id={`store-chip-${o.key}`}
          className={`store-chip ${o.key === current ? 'store-chip--active' : ''}`}
          onClick={() => o.key !== current && onChange(o.scope)}
        >
          {o.label}
        </View>
      ))}
    </ScrollView>
  );
}
