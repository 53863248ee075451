// H5 only: stands in for "which WeChat user is holding the phone".
import { Input, View } from '@tarojs/components';
import { sandboxStaffUsers } from '../../services/sandbox.h5';
import './sandbox-picker.h5.less';

interface Props {
  value: string;
  onChange: (userId: string) => void;
}

export default function SandboxPicker({ value, onChange }: Props) {
  const known = sandboxStaffUsers.some((u) => u.userId === value);
  return (
    <View className='section' id='sandbox-picker'>
      <View className='section-title'>沙箱身份</View>
      {sandboxStaffUsers.map((u) => (
        <View
          key={u.userId}
          id={`sandbox-user-${u.userId}`}
          className={`sandbox-user ${u.userId === value ? 'sandbox-user--active' : ''}`}
          onClick={() => onChange(u.userId)}
        >
          {u.label} <View className='muted'>{u.userId}</View>
        </View>
      ))}
      <Input
        id='sandbox-user-custom'
        className='sandbox-input'
        placeholder='其他 userId'
        value={known ? '' : value}
        onInput={(e) => onChange(e.detail.value.trim())}
      />
    </View>
  );
}
