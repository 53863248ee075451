import { routes } from '../../shared/api/routes';
import { callerFor } from './request';

export { request_timeout_ms, showError, sign_in_page } from './request';

/**
 * `call` for every route of the API, for the counter and boss pages (both
 * sub-packages). The main package's pages use `shop-api.ts` instead, whose
 * table leaves the other routes' schemas out of what shoppers download first.
 */
export const call = callerFor(routes);
