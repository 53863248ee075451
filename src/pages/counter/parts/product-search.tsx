import { Button, Image, Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { ProductSummary, SkuSummary } from '../../../../shared/api/catalog';
import { search_query_length_max } from '../../../../shared/api/common';
import { formatFen } from '../../../../shared/money';
import { call, showError } from '../../../services/api';
import { findBarcode, loadCatalog, rememberProducts, searchCached } from '../../../services/counter-cache';
import { specText } from '../../../services/counter-cart';
import { markOffline } from '../../../services/counter-network';
import { scanBarcode } from '../../../services/counter-scan';
import { ApiError } from '../../../services/errors';
import { storageKv } from '../../../services/outbox-store';

const search_debounce_ms = 300;
const search_page_size = 20;
const isH5 = process.env.TARO_ENV === 'h5';

interface Props {
  storeId: string;
  online: boolean;
  onAdd: (product: ProductSummary, sku: SkuSummary) => void;
}

/** Finding goods for the bill: a barcode (typed, from a scanner gun, or the camera), a search, and a size chooser. */
export function ProductSearch({ storeId, online, onAdd }: Props) {
  const [typed, setTyped] = useState('');
  const [results, setResults] = useState<ProductSummary[]>([]);
  const [choosing, setChoosing] = useState<ProductSummary | null>(null);
  const [barcode, setBarcode] = useState('');

  // Search: the server when online (name, pinyin initials, barcode), the products seen before when not.
  useEffect(() => {
    if (!storeId) return;
    const q = typed.trim();
    // With nothing typed the counter shows the store's first page of goods, which also fills the
    // offline catalog with their prices; typing narrows it.
    const timer = setTimeout(() => {
      if (!online) {
        setResults(searchCached(loadCatalog(storageKv, storeId), q));
        return;
      }
      call('storeProducts', { params: { storeId }, query: q === '' ? { limit: search_page_size } : { q, limit: search_page_size }, quiet: true })
        .then((page) => {
          setResults(page.items);
          rememberProducts(storageKv, storeId, page.items);
        })
        .catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 0) markOffline();
          setResults(searchCached(loadCatalog(storageKv, storeId), q));
        });
    }, search_debounce_ms);
    return () => clearTimeout(timer);
  }, [typed, storeId, online]);

  const addSku = (product: ProductSummary, sku: SkuSummary) => {
    onAdd(product, sku);
    setChoosing(null);
    // The next product is usually a new search or scan.
    setTyped('');
  };

  const pickProduct = (product: ProductSummary) => {
    const only = product.skus.length === 1 ? product.skus[0] : undefined;
    if (only) addSku(product, only);
    else setChoosing(product);
  };

  const addBarcode = async (code: string) => {
    const value = code.trim();
    if (!value || !storeId) return;
    try {
      const found = online ? await call('barcodeLookup', { params: { storeId, barcode: value }, quiet: true }) : findBarcode(loadCatalog(storageKv, storeId), value);
      if (!found) throw new ApiError(404, 'not_found', `本机没有条码 ${value} 的商品记录`);
      rememberProducts(storageKv, storeId, [found.product]);
      addSku(found.product, found.sku);
      setBarcode('');
    } catch (e) {
      // A lookup that got no answer falls back to the goods this device has seen.
      if (e instanceof ApiError && e.status === 0) {
        markOffline();
        const cached = findBarcode(loadCatalog(storageKv, storeId), value);
        if (cached) {
          addSku(cached.product, cached.sku);
          setBarcode('');
          return;
        }
      }
      showError(e instanceof ApiError && e.status === 404 ? new Error(`没有找到条码 ${value}`) : e);
    }
  };

  const scan = async () => {
    const code = await scanBarcode();
    if (code) await addBarcode(code);
  };

  return (
    <View className='section'>
      {isH5 ? (
        <View className='row'>
          <Input
            id='barcode-input'
            className='counter-input grow'
            placeholder='输入或扫码枪录入条码'
            value={barcode}
            onInput={(e) => setBarcode(e.detail.value)}
            onConfirm={() => void addBarcode(barcode)}
          />
          <Button id='barcode-add' size='mini' onClick={() => void addBarcode(barcode)}>
            添加
          </Button>
        </View>
      ) : (
        <Button id='scan' type='primary' onClick={() => void scan()}>
          扫码添加
        </Button>
      )}
      <Input
        id='product-search'
        className='counter-input'
        placeholder='搜索商品名称、拼音首字母或条码'
        maxlength={search_query_length_max}
        value={typed}
        onInput={(e) => setTyped(e.detail.value)}
      />
      {results.map((p) => (
        <View key={p.id} className='product-row product-item' data-product-id={p.id} onClick={() => pickProduct(p)}>
          <View className='row'>
            {p.photoUrl && <Image className='product-photo' src={p.photoUrl} mode='aspectFill' lazyLoad />}
            <View>
              <View className='product-name'>{p.name}</View>
              <View className='muted'>{p.skus.length > 1 ? `${p.skus.length} 个规格` : `库存 ${p.skus[0]?.available ?? 0} ${p.unit}`}</View>
            </View>
          </View>
          <Text className='price'>{p.skus.length > 1 ? `${formatFen(p.priceFen)} 起` : formatFen(p.priceFen)}</Text>
        </View>
      ))}
      {choosing && (
        <View id='sku-chooser' className='chooser'>
          <View className='row'>
            <Text className='section-title'>选择规格：{choosing.name}</Text>
            <Text className='link' onClick={() => setChoosing(null)}>
              取消
            </Text>
          </View>
          {choosing.skus.map((s) => (
            <View key={s.id} className='product-row sku-option' data-sku-id={s.id} onClick={() => addSku(choosing, s)}>
              <Text>{specText(s.spec) || s.barcode}</Text>
              <Text className='price'>{formatFen(s.retailPriceFen)}</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
