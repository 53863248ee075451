import { Button, Input, Text, View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { fenToYuan } from '../../../shared/money';
import { member_levels_max, sellingSettingsRequest } from '../../../shared/api/promotions';
import { points_level_multiplier_bp_one } from '../../../shared/points/rules';
import { call, showError } from '../../services/api';
import { fenOfField, formErrors, schemaErrors, setup_pages, staffOrSignIn, type FieldErrors } from './form';
import './setup.less';

/** One level as typed: amounts in yuan, the discount in percent off, the multiplier in times. */
interface LevelForm {
  name: string;
  minSpendYuan: string;
  minVisits: string;
  discountPercent: string;
  multiplier: string;
}

const blank: LevelForm = { name: '', minSpendYuan: '0', minVisits: '0', discountPercent: '0', multiplier: '1' };

/** "10" percent off → 1000 bp; "1.5" times → 15000 bp; anything else NaN, which the schema refuses with its reason. */
function bpOfNumber(text: string, scale: number): number {
  const n = Number(text.trim());
  return text.trim() === '' || !Number.isFinite(n) ? Number.NaN : Math.round(n * scale);
}

/**
 * 会员等级: the levels a member rises through (by spend or visits, whichever
 * comes first) and what each gives: a discount off the goods at the counter
 * and a points multiplier. The owner edits them; a manager sees them.
 */
export default function Levels() {
  const [levels, setLevels] = useState<LevelForm[] | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [isOwner, setIsOwner] = useState(false);
  const [saved, setSaved] = useState(false);

  const load = () => {
    const staff = staffOrSignIn(setup_pages.levels);
    if (!staff) return;
    setIsOwner(staff.staff.role === 'owner');
    call('getSellingSettings')
      .then((r) =>
        setLevels(
          r.memberLevels.map((l) => ({
            name: l.name,
            minSpendYuan: fenToYuan(l.minSpendFen),
            minVisits: String(l.minVisits),
            discountPercent: String(l.discountBp / 100),
            multiplier: String(l.pointsMultiplierBp / points_level_multiplier_bp_one),
          })),
        ),
      )
      .catch((e: unknown) => {
        showError(e);
        setLevels([]);
      });
  };
  useDidShow(load);

  const edit = (i: number, key: keyof LevelForm, value: string) => {
    setSaved(false);
    setLevels((ls) => (ls ?? []).map((l, j) => (j === i ? { ...l, [key]: value } : l)));
  };

  const save = async () => {
    setErrors({});
    setSaved(false);
    const body = {
      memberLevels: (levels ?? []).map((l) => ({
        name: l.name,
        minSpendFen: fenOfField(l.minSpendYuan),
        minVisits: bpOfNumber(l.minVisits, 1),
        discountBp: bpOfNumber(l.discountPercent, 100),
        pointsMultiplierBp: bpOfNumber(l.multiplier, points_level_multiplier_bp_one),
      })),
    };
    // The same schema the server checks with, so a mistake is shown at once, next to its field.
    const checked = sellingSettingsRequest.safeParse(body);
    if (!checked.success) {
      setErrors(schemaErrors(checked.error.issues));
      return;
    }
    try {
      await call('sellingSettings', { body, quiet: true });
      setSaved(true);
      load();
    } catch (error) {
      setErrors(formErrors(error));
    }
  };

  const field = (i: number, key: keyof LevelForm, label: string, apiKey: string, type: 'text' | 'digit' = 'digit') => {
    const path = `memberLevels.${i}.${apiKey}`;
    return (
      <View>
        <View className='s-label'>{label}</View>
        <Input id={`level-${i}-${key}`} className='s-input' type={type} disabled={!isOwner} value={levels?.[i]?.[key] ?? ''} onInput={(e) => edit(i, key, e.detail.value)} />
        {errors[path] && <View className='field-error'>{errors[path]}</View>}
      </View>
    );
  };

  return (
    <View className='page'>
      <View className='section muted'>会员累计消费或到店次数达到门槛即自动升级。等级折扣在收银台结账时按整单商品（会员价之后）打折；积分倍率乘以每元积分。</View>
      {!levels && <View className='section muted'>加载中…</View>}
      {levels?.length === 0 && <View className='section muted'>还没有会员等级</View>}
      {levels?.map((_, i) => (
        <View key={i} className='section' id={`level-${i}`}>
          <View className='row'>
            <Text className='section-title'>等级 {i + 1}</Text>
            {isOwner && (
              <Text className='link' onClick={() => setLevels((ls) => (ls ?? []).filter((__, j) => j !== i))}>
                删除
              </Text>
            )}
          </View>
          {field(i, 'name', '等级名称', 'name', 'text')}
          {field(i, 'minSpendYuan', '累计消费门槛（元）', 'minSpendFen')}
          {field(i, 'minVisits', '或到店次数（0 表示不按次数）', 'minVisits')}
          {field(i, 'discountPercent', '等级折扣（减百分之几，10 即九折）', 'discountBp')}
          {field(i, 'multiplier', '积分倍率（倍，如 1、1.5、2）', 'pointsMultiplierBp')}
        </View>
      ))}
      {errors.memberLevels && <View className='section field-error'>{errors.memberLevels}</View>}
      {isOwner && levels && (
        <View className='section'>
          {levels.length < member_levels_max && (
            <Button id='level-add' onClick={() => setLevels((ls) => [...(ls ?? []), blank])}>
              添加等级
            </Button>
          )}
          <Button id='levels-save' type='primary' onClick={() => void save()}>
            保存
          </Button>
          {saved && <View className='muted' id='levels-saved'>已保存，下一单起生效</View>}
        </View>
      )}
    </View>
  );
}
