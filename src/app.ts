import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { rememberStoreFrom } from './services/store-code';
// NutUI's theme stylesheet (@nutui/nutui-react-taro/dist/styles/themes/default.css)
// is not imported: it only declares CSS variables for NutUI's components, about
// 7 KB of the main package's app.wxss, and no page uses a NutUI component any
// more. A component's own stylesheet falls back to values close to the theme's
// but not all equal (titles are #1a1a1a rather than the theme's #171a26), so
// whoever brings a NutUI component back should import the theme here again.
import './app.less';
import './platform-styles';

function App({ children }: PropsWithChildren) {
  // Alipay hands a scanned QR to the app launch (`query.qrCode`); WeChat also gives `q` or `scene` here.
  useLaunch((options) => {
    rememberStoreFrom(options?.query as Record<string, unknown> | undefined);
    // H5 shows Taro's own navigation bar (window.navigationStyle 'default'); this adjusts it. The mini-programs draw theirs.
    if (process.env.TARO_ENV === 'h5') void import('./components/nav-bar.h5').then((m) => m.installNavBar());
  });
  return children;
}

export default App;
