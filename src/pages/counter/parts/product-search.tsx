import { Button, Image, Input, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { ProductSummary, SkuSummary } from '../../../../shared/api/catalog';
import { search_query_length_max } from '../../../../shared/api/common';
import { formatFen } from '../../../../shared/money';
import { call, showError } from '../../../services/api';
import { findBarcode, loadCatalog, rememberProducts, searchCached } from '../../../services/counter-cache';
import { specText } from '../../../services/counter-cart';
import { markOffline } from '../../../services/counter-network';
import { camera_scan_unavailable_note, cameraScanSupported, looksLikeBarcode, scanBarcode } from '../../../services/counter-scan';
import { ApiError } from '../../../services/errors';
import { storageKv } from '../../../services/outbox-store';

const search_debounce_ms = 300;
const search_page_size = 20;

interface Props {
  storeId: string;
  online: boolean;
  onAdd: (product: ProductSummary, sku: SkuSummary) => void;
}

/** The answer to a search: its results, and the query they answer, so "找不到" is only said for what was typed. */
interface Found {
  query: string;
  items: ProductSummary[];
}

/**
 * Finding goods for the bill: the search box and 扫一扫 stay at the top of
 * the screen (sticky) and the results below; a barcode can be typed, come
 * from a scanner gun or the camera, and a product with sizes opens a chooser.
 */
export function ProductSearch({ storeId, online, onAdd }: Props) {
  const [typed, setTyped] = useState('');
  const [found, setFound] = useState<Found>({ query: '', items: [] });
  const [choosing, setChoosing] = useState<ProductSummary | null>(null);
  const [barcode, setBarcode] = useState('');
  const [scanFallback, setScanFallback] = useState(false);

  // Search: the server when online (name, pinyin initials, barcode), the products seen before when not.
  useEffect(() => {
    if (!storeId) return;
    const q = typed.trim();
    // With nothing typed the counter shows the store's first page of goods, which also fills the
    // offline catalog with their prices; typing narrows it.
    const timer = setTimeout(() => {
      if (!online) {
        setFound({ query: q, items: searchCached(loadCatalog(storageKv, storeId), q) });
        return;
      }
      call('storeProducts', { params: { storeId }, query: q === '' ? { limit: search_page_size } : { q, limit: search_page_size }, quiet: true })
        .then((page) => {
          setFound({ query: q, items: page.items });
          rememberProducts(storageKv, storeId, page.items);
        })
        .catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 0) markOffline();
          setFound({ query: q, items: searchCached(loadCatalog(storageKv, storeId), q) });
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
      const hit = online ? await call('barcodeLookup', { params: { storeId, barcode: value }, quiet: true }) : findBarcode(loadCatalog(storageKv, storeId), value);
      if (!hit) throw new ApiError(404, 'not_found', `本机没有条码 ${value} 的商品记录`);
      rememberProducts(storageKv, storeId, [hit.product]);
      addSku(hit.product, hit.sku);
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
    // The browser has no camera scanner: say so and offer the code to be typed or pasted.
    if (!cameraScanSupported) {
      setScanFallback(!scanFallback);
      return;
    }
    const code = await scanBarcode();
    if (code) await addBarcode(code);
  };

  const query = typed.trim();
  const settled = found.query === query;
  return (
    <View>
      <View className='counter-top' id='counter-top'>
        <View className='row'>
          <Input
            id='product-search'
            className='counter-input grow'
            placeholder='搜索名称、拼音或条码'
            maxlength={search_query_length_max}
            value={typed}
            confirmType='search'
            onInput={(e) => setTyped(e.detail.value)}
            // A scanner gun types the code into the focused box and presses Enter: add it at once.
            onConfirm={() => {
              if (looksLikeBarcode(typed)) void addBarcode(typed).then(() => setTyped(''));
            }}
          />
          <Button id='scan' className='scan-button' type='primary' size='mini' onClick={() => void scan()}>
            扫一扫
          </Button>
        </View>
        {scanFallback && (
          <View id='scan-fallback' className='scan-fallback'>
            <View className='muted'>{camera_scan_unavailable_note}</View>
            <View className='row'>
              <Input
                id='barcode-input'
                className='counter-input grow'
                type='number'
                focus
                placeholder='输入或粘贴条码'
                value={barcode}
                onInput={(e) => setBarcode(e.detail.value)}
                onConfirm={() => void addBarcode(barcode)}
              />
              <Button id='barcode-add' size='mini' onClick={() => void addBarcode(barcode)}>
                添加
              </Button>
            </View>
          </View>
        )}
      </View>
      {choosing && (
        <View id='sku-chooser' className='section chooser'>
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
      <View className='section search-results'>
        {settled && query !== '' && found.items.length === 0 && (
          <View id='search-empty' className='muted search-empty'>
            找不到“{query}”{online ? '' : '（离线时只搜本机见过的商品）'}
          </View>
        )}
        {found.items.map((p) => (
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
      </View>
    </View>
  );
}
