import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';

/**
 * What a member of staff sees on a page their role may not open (an assistant
 * who follows a link to 老板看板): a plain sentence and a way to where they
 * work, instead of a screen of empty cards under a toast.
 */
export function RoleRefusal({ what }: { what: string }) {
  return (
    <View className='page'>
      <View className='section' id='role-refusal'>
        <View className='section-title'>你的角色不能查看{what}</View>
        <View className='muted'>{what}只对店主和店长开放。如需查看，请让店主调整你的角色。</View>
        <Button id='role-refusal-back' type='primary' onClick={() => void Taro.redirectTo({ url: '/pages/counter/index' })}>
          回到店员开单
        </Button>
      </View>
    </View>
  );
}
