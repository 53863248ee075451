import { Text, View } from '@tarojs/components';
import type { AdminCategory } from '../../../shared/api/products';
import type { FieldErrors } from './form';
import { categoryLabel } from './product-edit';

interface Props {
  id: string;
  categories: readonly AdminCategory[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
  /** The server's reasons under the scope's path (`scope.categoryIds.1`, `categoryIds`), shown under the chips. */
  errors: FieldErrors;
  errorPrefix: string;
}

/**
 * The categories a 满减 or a coupon is limited to, as chips to tap on and
 * off; none chosen is every product. A parent category covers the products
 * of its children, as the pricing engine counts them.
 */
export function CategoryChoice({ id, categories, chosen, onChange, errors, errorPrefix }: Props) {
  const toggle = (categoryId: string) => onChange(chosen.includes(categoryId) ? chosen.filter((c) => c !== categoryId) : [...chosen, categoryId]);
  return (
    <View>
      <View className='s-label'>参加的商品（不选即全部商品；选上级分类含其下的子分类）</View>
      <View id={id}>
        {categories.map((c) => (
          <Text key={c.id} className={`chip scope-category ${chosen.includes(c.id) ? 'chip--on' : ''}`} onClick={() => toggle(c.id)}>
            {categoryLabel(c, categories)}
          </Text>
        ))}
      </View>
      {Object.entries(errors)
        .filter(([path]) => path.startsWith(errorPrefix))
        .map(([path, message]) => (
          <View key={path} className='field-error'>
            {message}
          </View>
        ))}
    </View>
  );
}

/** `，限 上衣、鞋` for a list line, or nothing when the rule covers every product. */
export function scopeText(categoryIds: readonly string[] | undefined, categories: readonly AdminCategory[]): string {
  if (!categoryIds || categoryIds.length === 0) return '';
  return `，限 ${categoryIds.map((id) => categories.find((c) => c.id === id)?.name ?? '已删分类').join('、')}`;
}
