import { Image, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import type { ProductSummary } from '../../shared/api/catalog';
import { formatFen } from '../../shared/money';

interface Props {
  product: ProductSummary;
  className?: string;
  /** Shown on the right, after the price: an add button, stock, … */
  action?: ReactNode;
  detail?: ReactNode;
}

export function ProductRow({ product, className, action, detail }: Props) {
  const priced = product.skus.length > 1 ? `${formatFen(product.priceFen)} 起` : formatFen(product.priceFen);
  return (
    <View className={`product-row ${className ?? ''}`} data-product-id={product.id}>
      <View className='row'>
        {product.photoUrl && <Image className='product-photo' src={product.photoUrl} mode='aspectFill' lazyLoad />}
        <View>
          <View className='product-name'>{product.name}</View>
          <View className='muted'>
            {detail ?? `${product.skus.length} 个规格 · 单位：${product.unit}`}
          </View>
        </View>
      </View>
      <View className='row'>
        <Text className='price'>{priced}</Text>
        {action}
      </View>
    </View>
  );
}

export function ListEnd({ loading, done, failed, empty, onMore }: { loading: boolean; done: boolean; failed: boolean; empty: boolean; onMore: () => void }) {
  let text = '加载更多';
  if (loading) text = '加载中…';
  else if (failed) text = '加载失败，点此重试';
  else if (done) text = empty ? '还没有商品' : '没有更多了';
  return (
    <View className='list-end muted' onClick={done || loading ? undefined : onMore}>
      {text}
    </View>
  );
}
