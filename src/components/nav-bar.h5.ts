import Taro from '@tarojs/taro';
import { parentPage, tab_pages } from '../services/nav-parent';

/**
 * Taro 4's H5 router draws a navigation bar of its own (#taro-navigation-bar)
 * when the window's navigationStyle is 'default', with the page's
 * navigationBarTitleText, a back arrow when there is a page to go back to and a
 * home icon when there is not. This module, loaded on H5 only, makes that bar
 * what the mini-programs show: the home icon becomes the same back arrow, and
 * it goes to the page above this one (boss home, counter, shop home) instead
 * of always the shop's home, so a boss who opened a shared link to a report
 * lands on the boss home. Both controls get a name for screen readers.
 */
export function installNavBar(): void {
  const bar = document.getElementById('taro-navigation-bar');
  if (!bar) return;
  const back = bar.querySelector<HTMLElement>('.taro-navigation-bar-back');
  const home = bar.querySelector<HTMLElement>('.taro-navigation-bar-home');
  for (const control of [back, home]) {
    if (!control) continue;
    control.setAttribute('role', 'button');
    control.setAttribute('aria-label', '返回');
  }
  if (back && home) home.innerHTML = back.innerHTML;
  // Capture runs before the router's own listener on the element, which would reLaunch the shop's home.
  home?.addEventListener(
    'click',
    (event) => {
      event.stopImmediatePropagation();
      const path = Taro.getCurrentInstance().router?.path ?? '';
      const url = parentPage(path);
      void (tab_pages.includes(url) ? Taro.switchTab({ url }) : Taro.redirectTo({ url }));
    },
    { capture: true },
  );
}
