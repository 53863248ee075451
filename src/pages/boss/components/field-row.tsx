import { Picker, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './field-row.less';

/**
 * A field with its name beside it, so the name stays when the field is
 * filled (a placeholder alone disappears as soon as one types), as WeUI's
 * form cells do. `unit` is what follows the value: 元, 件, 天.
 */
export function FieldRow({ label, unit, children, id }: { label: string; unit?: string; children: ReactNode; id?: string }) {
  return (
    <View className='field-row' id={id}>
      <Text className='field-row-label'>{label}</Text>
      <View className='field-row-value'>{children}</View>
      {unit && <Text className='field-row-unit'>{unit}</Text>}
    </View>
  );
}

/**
 * A date chosen from the platform's date picker rather than typed as
 * YYYY-MM-DD; the value is that same string, which is what the API takes.
 */
export function DateRow({ label, value, onChange, id, placeholder = '请选择日期', start, end }: {
  label: string;
  value: string;
  onChange: (date: string) => void;
  id?: string;
  placeholder?: string;
  start?: string;
  end?: string;
}) {
  return (
    <FieldRow label={label} id={id}>
      <Picker mode='date' value={value} start={start} end={end} onChange={(e) => onChange(String(e.detail.value))}>
        <View className={value ? 'field-row-picker' : 'field-row-picker field-row-picker-empty'}>{value || placeholder} ›</View>
      </Picker>
    </FieldRow>
  );
}
