import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { ProductDetail } from '../../../shared/api/products';
import { updateSkuRequest } from '../../../shared/api/products';
import { retailBarcodeKind } from '../../../shared/barcode';
import { fenToYuan } from '../../../shared/money';
import { call } from '../../services/api';
import { cameraScanSupported, scanBarcode } from '../../services/counter-scan';
import { confirmBelowCost, fenOfField, fieldErrorsOf, schemaErrors, type FieldErrors } from './form';

type Sku = ProductDetail['skus'][number];

interface Props {
  sku: Sku;
  onSaved: () => void;
  onCancel: () => void;
}

/**
 * 改一个规格: its barcode (typed, or scanned with the camera in the apps)
 * and its retail, member and cost price. Only what changed is sent, so a
 * price the owner did not touch is not written or audited as changed. A
 * retail price below cost is allowed after the owner confirms it, as the
 * import allows it: a clearance sale is a real case.
 */
export function SkuEditForm({ sku, onSaved, onCancel }: Props) {
  const [form, setForm] = useState({ barcode: sku.barcode, retail: fenToYuan(sku.retailPriceFen), member: fenToYuan(sku.memberPriceFen), cost: fenToYuan(sku.costFen) });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const scan = async () => {
    const code = await scanBarcode();
    if (code) setForm((f) => ({ ...f, barcode: code }));
  };

  const save = async () => {
    const barcode = form.barcode.trim();
    const prices = { retailPriceFen: fenOfField(form.retail), memberPriceFen: fenOfField(form.member), costFen: fenOfField(form.cost) };
    const local: FieldErrors = {};
    if (barcode !== sku.barcode && retailBarcodeKind(barcode) === null) local.barcode = `条码 ${barcode || '（空）'} 不对：应为 8、12 或 13 位数字，且校验位正确`;
    if (Number.isNaN(prices.retailPriceFen)) local.retailPriceFen = '零售价应是金额，例如 59 或 59.90';
    if (Number.isNaN(prices.memberPriceFen)) local.memberPriceFen = '会员价应是金额，例如 55';
    if (Number.isNaN(prices.costFen)) local.costFen = '进价应是金额，例如 30';
    if (Object.keys(local).length === 0 && prices.memberPriceFen > prices.retailPriceFen) local.memberPriceFen = '会员价不能高于零售价';
    if (Object.keys(local).length > 0) return setErrors(local);
    setErrors({});
    const body = {
      ...(barcode !== sku.barcode ? { barcode } : {}),
      ...(prices.retailPriceFen !== sku.retailPriceFen ? { retailPriceFen: prices.retailPriceFen } : {}),
      ...(prices.memberPriceFen !== sku.memberPriceFen ? { memberPriceFen: prices.memberPriceFen } : {}),
      ...(prices.costFen !== sku.costFen ? { costFen: prices.costFen } : {}),
    };
    if (Object.keys(body).length === 0) return onCancel();
    const checked = updateSkuRequest.safeParse(body);
    if (!checked.success) return setErrors(schemaErrors(checked.error.issues));
    if (!(await confirmBelowCost(prices.retailPriceFen, prices.costFen))) return;
    setErrors({});
    setBusy(true);
    try {
      await call('updateSku', { quiet: true, params: { skuId: sku.id }, body: checked.data });
      onSaved();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setErrors(Object.keys(fields).length > 0 ? fields : { '': error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof typeof form, label: string, errorPath: string) => (
    <View>
      <View className='s-label'>{label}</View>
      <View className='row'>
        <Input className={`s-input grow sku-edit-${key}`} value={form[key]} onInput={(e) => setForm((f) => ({ ...f, [key]: e.detail.value }))} />
        {key === 'barcode' && cameraScanSupported && (
          <Text className='link' onClick={() => void scan()}>
            扫码
          </Text>
        )}
      </View>
      {errors[errorPath] && <View className='field-error'>{errors[errorPath]}</View>}
    </View>
  );

  return (
    <View className='sku-edit' data-sku-id={sku.id}>
      {field('barcode', '条码（换了包装的同一种货才改；不同的货请加新规格）', 'barcode')}
      <View className='row sku-edit-prices'>
        <View className='grow'>{field('retail', '零售价（元）', 'retailPriceFen')}</View>
        <View className='grow'>{field('member', '会员价（元）', 'memberPriceFen')}</View>
        <View className='grow'>{field('cost', '进价（元）', 'costFen')}</View>
      </View>
      {errors[''] && <View className='field-error sku-edit-error'>{errors['']}</View>}
      <View className='row'>
        <Button className='sku-edit-save' size='mini' type='primary' loading={busy} disabled={busy} onClick={() => void save()}>
          保存规格
        </Button>
        <Button size='mini' onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  );
}
