import { Button, Checkbox, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import type { CatalogImportResponse } from '../../../shared/api/catalog-import';
import type { StoreSummary } from '../../../shared/api/identity';
import { formatFen } from '../../../shared/money';
import { catalog_import_rows_max } from '../../../shared/catalog/sheet';
import { showError } from '../../services/api';
import { catalogExportUrl, canPickSheet, pickSheet, sendSheet, templateUrl, type ChosenSheet } from '../../services/catalog-sheet';
import { ApiError } from '../../services/errors';
import { downloadFile } from '../../services/report-download';
import { busyProps } from '../../services/stock-ops';
import { getSession } from '../../services/session';
import './catalog-import.less';

type Step = { kind: 'idle' } | { kind: 'checked'; sheet: ChosenSheet; result: CatalogImportResponse } | { kind: 'done'; result: CatalogImportResponse };

function Counts({ r }: { r: CatalogImportResponse }) {
  return (
    <View className='ci-counts' id='import-counts'>
      <Text>共 {r.counts.rows} 行</Text>
      <Text>新商品 {r.counts.newProducts}</Text>
      <Text>新规格 {r.counts.newSkus}</Text>
      <Text>改价格/状态 {r.counts.updatedSkus}</Text>
      <Text>不变 {r.counts.unchangedSkus}</Text>
      {r.counts.openingUnits > 0 && (
        <Text id='import-opening-counts'>
          期初库存 {r.counts.openingUnits} 件（{r.counts.openingSkus} 个规格，按成本价 {formatFen(r.counts.openingValueFen)}）
        </Text>
      )}
    </View>
  );
}

/**
 * Where the file's opening stock goes: the owner's stores to choose among,
 * or the one store named when there is no choice. Shown only when some row
 * has a quantity, since a file without stock needs no store.
 */
function OpeningStore({ stores, storeId, onPick, units }: { stores: StoreSummary[]; storeId: string; onPick: (id: string) => void; units: number }) {
  const one = stores.length === 1 ? stores[0] : undefined;
  return (
    <View className='ci-opening' id='import-opening'>
      <View>{one ? `期初库存 ${units} 件放入「${one.name}」` : `期初库存 ${units} 件放入哪个门店？`}</View>
      {!one && (
        <View className='ci-stores'>
          {stores.map((st) => (
            <Text key={st.id} className={`ci-store opening-store ${st.id === storeId ? 'ci-store--on' : ''}`} onClick={() => onPick(st.id)}>
              {st.name}
            </Text>
          ))}
        </View>
      )}
      <View className='muted'>按成本价记入库存商品和实收资本；已有商品的库存请用盘点。</View>
    </View>
  );
}

function ProblemList({ id, items, total, tone }: { id: string; items: CatalogImportResponse['problems']; total: number; tone: 'bad' | 'warn' }) {
  if (total === 0) return null;
  return (
    <View id={id}>
      {items.map((p, i) => (
        <View key={`${p.line}-${p.column}-${i}`} className='ci-problem'>
          <Text className='ci-line'>第 {p.line} 行 · {p.column}</Text>
          <Text className={`ci-${tone}`}>{p.message}</Text>
        </View>
      ))}
      {total > items.length && <View className='muted'>还有 {total - items.length} 处未列出，请先改正以上几处后重新上传</View>}
    </View>
  );
}

/**
 * The owner's catalog sheet: the template and the export to download, then
 * a file to check (a dry run that changes nothing and lists every bad row),
 * then the import, all of it or nothing.
 */
export default function CatalogImport() {
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [acceptBelowCost, setAcceptBelowCost] = useState(false);
  // The owner's stores as the sign-in gave them; the first is where opening stock goes unless another is picked.
  const [stores] = useState<StoreSummary[]>(() => getSession('staff')?.stores ?? []);
  const [storeId, setStoreId] = useState(() => stores[0]?.id ?? '');

  const download = (url: string, name: string) => {
    downloadFile(url, name).catch((e: unknown) => showError(e));
  };

  const check = async () => {
    setError('');
    let sheet: ChosenSheet | null;
    try {
      sheet = await pickSheet();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return;
    }
    if (!sheet) return;
    setBusy(true);
    try {
      const result = await sendSheet(sheet, { apply: false, acceptBelowCost: false, storeId: storeId || undefined });
      setAcceptBelowCost(false);
      setStep({ kind: 'checked', sheet, result });
    } catch (e) {
      setStep({ kind: 'idle' });
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (step.kind !== 'checked') return;
    setBusy(true);
    setError('');
    try {
      const result = await sendSheet(step.sheet, { apply: true, acceptBelowCost, storeId: step.result.counts.openingUnits > 0 && storeId ? storeId : undefined });
      setStep({ kind: 'done', result });
    } catch (e) {
      // A file changed in between comes back with its rows: show them as the dry run would.
      if (e instanceof ApiError && e.fields.length > 0) setError(`${e.message}：${e.fields.slice(0, 3).map((f) => `${f.path.replace('.', ' ')} ${f.message}`).join('；')}`);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const checked = step.kind === 'checked' ? step.result : null;
  const blocked = checked !== null && (checked.problemCount > 0 || (checked.warningCount > 0 && !acceptBelowCost) || (checked.counts.openingUnits > 0 && !storeId));
  const storeName = (id: string | null) => stores.find((st) => st.id === id)?.name ?? '';

  return (
    <View className='page' id='catalog-import'>
      <View className='section'>
        <View className='section-title'>下载</View>
        <View className='muted'>模板里有填写说明和示例行；新商品可在「期初库存」列填现有数量。导出的商品资料可以改价后再导入。</View>
        <View className='ci-actions'>
          <Button size='mini' id='download-template' onClick={() => download(templateUrl(), '商品导入模板.xlsx')}>
            下载模板
          </Button>
          <Button size='mini' id='download-export' onClick={() => download(catalogExportUrl('xlsx'), '商品资料.xlsx')}>
            导出商品资料
          </Button>
        </View>
      </View>

      {step.kind !== 'done' && (
        <View className='section'>
          <View className='section-title'>导入</View>
          {canPickSheet() ? (
            <View className='muted'>
              选择 Excel（.xlsx）或 CSV 文件，最多 {catalog_import_rows_max} 行。先检查，不会改动任何商品。
              {process.env.TARO_ENV === 'weapp' ? '文件需先发到任一聊天，再从聊天里选择。' : ''}
            </View>
          ) : (
            <View className='muted'>支付宝小程序不能选择文件：请在微信小程序或浏览器里导入。</View>
          )}
          {error && (
            <View className='ci-bad' id='import-error'>
              {error}
            </View>
          )}
          {canPickSheet() && (
            <View className='ci-actions'>
              <Button size='mini' type={checked ? 'default' : 'primary'} id='import-pick' {...busyProps(busy, true)} onClick={() => void check()}>
                {checked ? '换一个文件' : '选择文件并检查'}
              </Button>
            </View>
          )}
        </View>
      )}

      {checked && step.kind === 'checked' && (
        <View className='section' id='import-check'>
          <View className='section-title'>检查结果 · {step.sheet.name}</View>
          <Counts r={checked} />
          {checked.problemCount > 0 ? (
            <View className='ci-bad' id='import-problem-count'>
              有 {checked.problemCount} 处问题，改正后重新选择文件；在此之前不会导入任何商品。
            </View>
          ) : (
            <View className='ci-ok'>没有问题，可以导入</View>
          )}
          <ProblemList id='import-problems' items={checked.problems} total={checked.problemCount} tone='bad' />
          {checked.warningCount > 0 && (
            <>
              <View className='ci-warn'>有 {checked.warningCount} 个规格零售价低于成本价：</View>
              <ProblemList id='import-warnings' items={checked.warnings} total={checked.warningCount} tone='warn' />
              <View className='ci-accept' id='accept-below-cost' onClick={() => setAcceptBelowCost(!acceptBelowCost)}>
                <Checkbox value='accept' checked={acceptBelowCost} />
                <Text>我已核对，仍然按表格价格导入</Text>
              </View>
            </>
          )}
          {checked.problemCount === 0 && checked.counts.openingUnits > 0 && <OpeningStore stores={stores} storeId={storeId} onPick={setStoreId} units={checked.counts.openingUnits} />}
          {checked.problemCount === 0 && (
            <View className='ci-actions'>
              <Button type='primary' id='import-apply' {...(blocked ? { disabled: true as const } : busyProps(busy, true))} onClick={() => void apply()}>
                导入 {checked.counts.newSkus + checked.counts.updatedSkus} 个规格{checked.counts.openingUnits > 0 ? `，入库 ${checked.counts.openingUnits} 件` : ''}
              </Button>
            </View>
          )}
        </View>
      )}

      {step.kind === 'done' && (
        <View className='section' id='import-done'>
          <View className='section-title'>{step.result.replayed ? '这个文件已经导入过' : '导入完成'}</View>
          <Counts r={step.result} />
          {step.result.counts.openingUnits > 0 && step.result.openingStoreId && (
            <View className='ci-ok' id='import-opening-done'>
              期初库存 {step.result.counts.openingUnits} 件已放入「{storeName(step.result.openingStoreId) || step.result.openingStoreId}」
            </View>
          )}
          <View className='ci-actions'>
            <Button size='mini' type='primary' id='import-again' onClick={() => setStep({ kind: 'idle' })}>
              再导入一个文件
            </Button>
            <Button size='mini' id='import-export' onClick={() => download(catalogExportUrl('xlsx'), '商品资料.xlsx')}>
              导出核对
            </Button>
            <Button size='mini' id='import-home' onClick={() => void Taro.navigateBack().catch(() => Taro.redirectTo({ url: '/pages/boss/index' }))}>
              返回
            </Button>
          </View>
        </View>
      )}
    </View>
  );
}
