import { Button, Image, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useMemo, useState } from 'react';
import type { ProductSummary } from '../../../shared/api/catalog';
import type { AdminCategory } from '../../../shared/api/products';
import type { StoreSummary } from '../../../shared/api/identity';
import { retailBarcodeKind } from '../../../shared/barcode';
import { formatFen, yuanToFen } from '../../../shared/money';
import { specLabel, specMatrix } from '../../../shared/spec-matrix';
import { call } from '../../services/api';
import { cameraScanSupported, scanBarcode } from '../../services/counter-scan';
import { confirmBelowCost, formErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import { categoryLabel, ProductEditPanel } from './product-edit';
import { ProductPhotosPanel } from './product-photos';
import './setup.less';

const blank = { name: '', unit: '件', price: '', member: '', cost: '', axis1: '颜色', values1: '', axis2: '尺码', values2: '' };
type Form = typeof blank;

function fenOrNull(text: string): number | null {
  try {
    const fen = yuanToFen(text);
    return fen >= 0 ? fen : null;
  } catch {
    return null;
  }
}

/** Splits what the owner typed (白,黑 or 白 黑 or 白、黑) into values. */
function valuesOf(text: string): string[] {
  return text.split(/[,，、\s]+/).filter((v) => v !== '');
}

/**
 * 商品: categories and products of the merchant, with a two-axis spec
 * matrix (颜色 × 尺码 …) that makes one SKU per combination. A barcode typed
 * for a SKU is checked by its check digit here as on the server; left blank,
 * the server prints an in-store code.
 */
export default function Products() {
  const [storeId, setStoreId] = useState('');
  const [categories, setCategories] = useState<AdminCategory[]>([]);
  const [stores, setStores] = useState<StoreSummary[]>([]);
  /** The store the new product's opening stock (期初库存) goes into. */
  const [openingStoreId, setOpeningStoreId] = useState('');
  const [openingQty, setOpeningQty] = useState<Record<string, string>>({});
  /** The product whose edit panel is open. */
  const [editing, setEditing] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [products, setProducts] = useState<ProductSummary[] | null>(null);
  /** The list shows stopped products (停售) instead, for the owner to start them again. */
  const [stopped, setStopped] = useState(false);
  const [isOwner, setIsOwner] = useState(false);
  const [categoryName, setCategoryName] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [form, setForm] = useState<Form>(blank);
  const [barcodes, setBarcodes] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [local, setLocal] = useState('');
  const [storeCode, setStoreCode] = useState('');
  /** The product whose photos are open. */
  const [photoFor, setPhotoFor] = useState<string | null>(null);

  const load = () => {
    const staff = staffOrSignIn(setup_pages.products);
    const store = staff?.stores[0];
    if (!store) return;
    setStoreId(store.id);
    setStoreCode(store.code);
    setStores(staff.stores);
    setIsOwner(staff.staff.role === 'owner');
    setOpeningStoreId((s) => s || store.id);
    // Every category, hidden ones too: a product may be filed in one the shop does not show yet.
    void call('categories', {})
      .then((r) => {
        setCategories(r.items);
        setCategoryId((c) => c || (r.items[0]?.id ?? ''));
      })
      .catch(() => setCategories([]));
    listProducts(store.id, search, stopped);
  };

  /** The first page of the store's products (or stopped ones), or those matching a name, pinyin initials or barcode. */
  const listProducts = (store: string, q: string, onlyStopped: boolean) =>
    void call(onlyStopped ? 'stoppedProducts' : 'storeProducts', { params: { storeId: store }, query: { limit: 100, ...(q.trim() ? { q: q.trim() } : {}) } })
      .then((r) => setProducts(r.items))
      .catch(() => setProducts([]));

  const showStopped = (on: boolean) => {
    setStopped(on);
    setEditing(null);
    setProducts(null);
    if (storeId) listProducts(storeId, search, on);
  };

  const restart = async (productId: string) => {
    const r = await call('updateProduct', { params: { productId }, body: { active: true } }).catch(() => null);
    if (r) {
      void Taro.showToast({ title: `${r.product.name} 已恢复销售`, icon: 'none' });
      setProducts((list) => list?.filter((p) => p.id !== productId) ?? null);
    }
  };
  useDidShow(load);

  const specs = useMemo(
    () => specMatrix([{ name: form.axis1, values: valuesOf(form.values1) }, { name: form.axis2, values: valuesOf(form.values2) }]),
    [form.axis1, form.values1, form.axis2, form.values2],
  );

  const addCategory = async () => {
    const r = await call('createCategory', { body: { name: categoryName.trim() } }).catch(() => null);
    if (r) {
      setCategoryName('');
      setCategoryId(r.id);
      load();
    }
  };

  const addProduct = async () => {
    setErrors({});
    const price = fenOrNull(form.price);
    const cost = fenOrNull(form.cost);
    const member = form.member.trim() === '' ? price : fenOrNull(form.member);
    if (price === null) return setLocal('零售价应是金额，例如 59 或 59.90');
    if (member === null) return setLocal('会员价应是金额，例如 55；不填即同零售价');
    if (member > price) return setLocal('会员价不能高于零售价');
    if (cost === null) return setLocal('进价应是金额，例如 30');
    const bad = specs.map((s) => barcodes[specLabel(s)] ?? '').find((b) => b !== '' && retailBarcodeKind(b) === null);
    if (bad !== undefined) return setLocal(`条码 ${bad} 不对：应为 8、12 或 13 位数字，且校验位正确`);
    if (!categoryId) return setLocal('请先添加或选择分类');
    const qtys = specs.map((s) => (openingQty[specLabel(s)] ?? '').trim());
    const badQty = qtys.find((q) => q !== '' && !/^\d+$/.test(q));
    if (badQty !== undefined) return setLocal(`期初库存 ${badQty} 不对：应是不小于 0 的整数`);
    const withOpening = qtys.some((q) => q !== '' && Number(q) > 0);
    setLocal('');
    if (!(await confirmBelowCost(price, cost))) return;
    try {
      await call('createProduct', {
        quiet: true,
        body: {
          name: form.name.trim(),
          categoryId,
          unit: form.unit.trim(),
          ...(withOpening ? { openingStoreId } : {}),
          skus: specs.map((spec, i) => {
            const barcode = barcodes[specLabel(spec)] ?? '';
            return { spec, retailPriceFen: price, ...(member < price ? { memberPriceFen: member } : {}), costFen: cost, ...(barcode ? { barcode } : {}), ...(withOpening && qtys[i] ? { openingQty: Number(qtys[i]) } : {}) };
          }),
        },
      });
      setForm(blank);
      setBarcodes({});
      setOpeningQty({});
      load();
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const input = (key: keyof Form, placeholder: string, id = `product-${key}`) => (
    <Input id={id} className='s-input' placeholder={placeholder} value={form[key]} onInput={(e) => setForm((f) => ({ ...f, [key]: e.detail.value }))} />
  );
  const serverErrors = Object.entries(errors);

  return (
    <View className='page'>
      <View className='section' id='category-section'>
        <View className='section-title'>分类</View>
        <View>
          {categories.map((c) => (
            <Text key={c.id} className={`chip ${c.id === categoryId ? 'chip--on' : ''}`} onClick={() => setCategoryId(c.id)}>
              {categoryLabel(c, categories)}
            </Text>
          ))}
          {categories.length === 0 && <View className='muted'>还没有分类，先添加一个</View>}
        </View>
        <Input id='category-name' className='s-input' placeholder='新分类名称，例如：上衣' value={categoryName} onInput={(e) => setCategoryName(e.detail.value)} />
        <Button id='category-add' disabled={categoryName.trim() === ''} onClick={() => void addCategory()}>
          添加分类
        </Button>
        <View className='link' id='open-categories' onClick={() => void Taro.navigateTo({ url: setup_pages.categories })}>
          分类管理（子分类、改名、排序、隐藏）›
        </View>
      </View>

      <View className='section' id='product-form'>
        <View className='section-title'>添加商品</View>
        <View className='s-label'>商品名称</View>
        {input('name', '例如：纯棉T恤')}
        <View className='row s-label'>
          <Text className='grow'>零售价</Text>
          <Text className='grow'>会员价</Text>
          <Text className='grow'>进价</Text>
          <Text className='grow'>单位</Text>
        </View>
        <View className='row'>
          {input('price', '59.00')}
          {input('member', '同零售')}
          {input('cost', '30.00')}
          {input('unit', '件')}
        </View>
        <View className='muted'>金额单位为元；会员价不填即同零售价。</View>
        <View className='s-label'>规格（值用逗号分开，不分规格就留空）</View>
        <View className='row'>
          {input('axis1', '规格一')}
          {input('values1', '白,黑')}
        </View>
        <View className='row'>
          {input('axis2', '规格二')}
          {input('values2', 'M,L')}
        </View>
        <View className='s-label'>将生成 {specs.length} 个 SKU（条码可留空，系统生成店内码）</View>
        {specs.map((s) => {
          const label = specLabel(s);
          return (
            <View key={label || 'single'} className='row sku-preview'>
              <Text>{label || '单规格'}</Text>
              <Input className='s-input' placeholder='条码（可选）' value={barcodes[label] ?? ''} onInput={(e) => setBarcodes((b) => ({ ...b, [label]: e.detail.value.trim() }))} />
              {cameraScanSupported && (
                <Text className='link' onClick={() => void scanBarcode().then((code) => code && setBarcodes((b) => ({ ...b, [label]: code })))}>
                  扫
                </Text>
              )}
              <Input className='s-input opening-qty' placeholder='期初库存' value={openingQty[label] ?? ''} onInput={(e) => setOpeningQty((q) => ({ ...q, [label]: e.detail.value }))} />
            </View>
          );
        })}
        {stores.length > 0 && (
          <View>
            <View className='s-label'>期初库存放在（不填数量就不入库，之后可用盘点或采购入库）</View>
            {stores.map((st) => (
              <Text key={st.id} className={`chip opening-store ${st.id === openingStoreId ? 'chip--on' : ''}`} onClick={() => setOpeningStoreId(st.id)}>
                {st.name}
              </Text>
            ))}
          </View>
        )}
        {local && <View className='field-error' id='product-error'>{local}</View>}
        {serverErrors.map(([path, message]) => (
          <View key={path} className='field-error'>
            {path}：{message}
          </View>
        ))}
        <Button id='product-add' type='primary' disabled={form.name.trim() === '' || specs.length === 0} onClick={() => void addProduct()}>
          保存商品
        </Button>
      </View>

      <View className='section' id='product-list'>
        <View className='section-title'>商品</View>
        {isOwner && (
          <View>
            <Text id='list-selling' className={`chip ${stopped ? '' : 'chip--on'}`} onClick={() => showStopped(false)}>
              在售
            </Text>
            <Text id='list-stopped' className={`chip ${stopped ? 'chip--on' : ''}`} onClick={() => showStopped(true)}>
              已停售
            </Text>
          </View>
        )}
        <Input
          id='product-list-search'
          className='s-input'
          placeholder='搜索名称、拼音首字母或条码'
          value={search}
          onInput={(e) => {
            setSearch(e.detail.value);
            if (storeId) listProducts(storeId, e.detail.value, stopped);
          }}
        />
        {!products && <View className='muted'>加载中…</View>}
        {products?.length === 0 && <View className='muted'>{stopped ? '没有停售的商品' : '还没有商品'}</View>}
        {products?.map((p) => (
          <View key={p.id} className='s-row' data-product-id={p.id}>
            <View className='row'>
              {p.photoUrl && <Image className='photo-thumb' src={p.photoUrl} mode='aspectFill' lazyLoad />}
              <Text className='grow'>{p.name}</Text>
              <Text>{formatFen(p.priceFen)}</Text>
              {stopped ? (
                <Text className='link product-restart' onClick={() => void restart(p.id)}>
                  恢复销售
                </Text>
              ) : (
                <Text className='link photo-open' onClick={() => setPhotoFor(photoFor === p.id ? null : p.id)}>
                  照片
                </Text>
              )}
              <Text className='link product-edit-open' onClick={() => setEditing(editing === p.id ? null : p.id)}>
                编辑
              </Text>
            </View>
            {editing === p.id && <ProductEditPanel productId={p.id} categories={categories} storeId={storeId} onChanged={load} />}
            <View className='muted'>{p.skus.map((s) => `${specLabel(s.spec) || '单规格'} ${s.barcode}`).join('；')}</View>
            {photoFor === p.id && (
              <ProductPhotosPanel productId={p.id} storeCode={storeCode} onCoverChanged={(url) => setProducts((list) => list?.map((x) => (x.id === p.id ? { ...x, photoUrl: url } : x)) ?? null)} />
            )}
          </View>
        ))}
      </View>
      {storeId === '' && <View className='muted'>没有门店</View>}
    </View>
  );
}
