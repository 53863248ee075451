/**
 * Where the header's back control goes when there is no page to go back to
 * (a shared link, a refresh, a scanned code): the page a person would expect
 * above this one. Boss pages go to the boss home, the counter's pages to the
 * counter, and everything else to the shop's home; the two homes of the staff
 * go to 我的, where the staff entries are.
 */
export function parentPage(path: string): string {
  const page = path.replace(/^\/+/, '/').split('?')[0] ?? '';
  const normalised = page.startsWith('/') ? page : `/${page}`;
  if (normalised === '/pages/boss/index' || normalised === '/pages/counter/index') return me_page;
  if (normalised.startsWith('/pages/boss/')) return '/pages/boss/index';
  if (normalised.startsWith('/pages/counter/')) return '/pages/counter/index';
  if (normalised === '/pages/sign-in/index') return me_page;
  return shop_home_page;
}

export const shop_home_page = '/pages/shop/home/index';
export const me_page = '/pages/shop/me/index';
/** The tab-bar pages: the parent is opened with switchTab, which they need. */
export const tab_pages: readonly string[] = [shop_home_page, '/pages/shop/category/index', '/pages/shop/cart/index', me_page];
