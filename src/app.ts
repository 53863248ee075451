import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import '@nutui/nutui-react-taro/dist/styles/themes/default.css';
import { rememberStoreFrom } from './services/store-code';
import './app.less';

function App({ children }: PropsWithChildren) {
  // Alipay hands a scanned QR to the app launch (`query.qrCode`); WeChat also gives `q` or `scene` here.
  useLaunch((options) => rememberStoreFrom(options?.query as Record<string, unknown> | undefined));
  return children;
}

export default App;
