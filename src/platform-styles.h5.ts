// Styles only the H5 build needs: its buttons (Taro's web components) and the
// navigation bar Taro's H5 router draws. Taro resolves `./platform-styles` to
// this file when building H5 and to platform-styles.ts for the mini-programs.
import './buttons.h5.less';
import './components/nav-bar.h5.less';
