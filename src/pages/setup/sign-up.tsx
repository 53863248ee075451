import { Button, Input, Text, View } from '@tarojs/components';
import Taro, { useDidShow } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { business_hours_length_max, name_length_max, shop_name_length_max, store_address_length_max, store_name_length_max } from '../../../shared/api/limits';
import { call } from '../../services/api';
import { ensureShopper } from '../../services/auth';
import { getSession, saveSession } from '../../services/session';
import { currentStoreCode } from '../../services/store-code';
import { clientRequestId, formErrors, type FieldErrors } from './form';
import './setup.less';

const blank = { shopName: '', ownerName: '', storeName: '', address: '', phone: '', businessHours: '09:00-21:00' };
type Form = typeof blank;

/** Which API field path each input answers for, so the server's reason shows under the right box. */
const paths: Record<keyof Form, string> = {
  shopName: 'shopName',
  ownerName: 'ownerName',
  storeName: 'store.name',
  address: 'store.address',
  phone: 'store.phone',
  businessHours: 'store.businessHours',
};

/**
 * 开店: a signed-in shopper who is nobody's staff creates the shop, its first
 * store and themselves as owner, then lands on the boss home. The request id
 * is made once per visit, so a double tap or a retry opens one shop.
 */
export default function SignUp() {
  const [form, setForm] = useState<Form>(blank);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [ready, setReady] = useState<'checking' | 'ok' | 'staff' | 'no_login'>('checking');
  const signUpId = useRef(clientRequestId('signup'));

  useDidShow(() => {
    if (getSession('staff')) return setReady('staff');
    void ensureShopper(currentStoreCode()).then((s) => setReady(s ? 'ok' : 'no_login'));
  });

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setErrors({});
    try {
      const session = await call('signUp', {
        quiet: true,
        body: {
          signUpId: signUpId.current,
          shopName: form.shopName,
          ownerName: form.ownerName,
          store: { name: form.storeName, address: form.address, phone: form.phone, businessHours: form.businessHours },
        },
      });
      saveSession('staff', session);
      void Taro.redirectTo({ url: '/pages/boss/index' });
    } catch (error) {
      setErrors(formErrors(error));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof Form, label: string, placeholder: string, max: number, type: 'text' | 'number' = 'text') => (
    <View>
      <View className='s-label'>{label}</View>
      <Input id={`signup-${key}`} className='s-input' type={type} maxlength={max} placeholder={placeholder} value={form[key]} onInput={(e) => setForm((f) => ({ ...f, [key]: e.detail.value }))} />
      {errors[paths[key]] && <View className='field-error' id={`signup-${key}-error`}>{errors[paths[key]]}</View>}
    </View>
  );

  if (ready === 'staff') {
    return (
      <View className='page'>
        <View className='section'>
          <View className='section-title'>你已经是店员</View>
          <View className='muted'>这个账号已绑定一家店，不能再开店。请用另一个微信或支付宝账号开店。</View>
          <Button onClick={() => void Taro.redirectTo({ url: '/pages/boss/index' })}>去老板看板</Button>
        </View>
      </View>
    );
  }

  return (
    <View className='page' id='sign-up'>
      <View className='section'>
        <View className='section-title'>开一家店</View>
        <View className='muted'>填好下面几项就能开始收银：现金、银行卡和赊账马上可用；微信支付和支付宝要在「设置收款」里绑定你自己的商户号后才开通，不会借用别家的收款账户。</View>
        {ready === 'no_login' && <View className='field-error'>还没有登录，请在微信或支付宝里打开小程序后再开店</View>}
      </View>
      <View className='section'>
        {field('shopName', '店铺名称', '例如：小林服装', shop_name_length_max)}
        {field('ownerName', '店主姓名', '你的称呼', name_length_max)}
      </View>
      <View className='section'>
        <View className='section-title'>第一家门店</View>
        {field('storeName', '门店名称', '例如：文三路店', store_name_length_max)}
        {field('address', '地址', '省市区街道门牌', store_address_length_max)}
        {field('phone', '电话', '手机号或带区号的座机', 13)}
        {field('businessHours', '营业时间', '09:00-21:00', business_hours_length_max)}
      </View>
      <View className='section'>
        <Button id='signup-submit' type='primary' loading={busy} disabled={busy || ready !== 'ok'} onClick={() => void submit()}>
          开店
        </Button>
        <Text className='muted'>开店后，你用同一个账号登录就是店主。</Text>
      </View>
    </View>
  );
}
