import { shopRoutes } from '../../shared/api/shop-routes';
import { callerFor } from './request';

export { showError } from './request';

/**
 * `call` for the routes of the main package (shop pages, staff sign-in): the
 * same request layer as `api.ts`, over a table that leaves out the counter's
 * and boss's schemas, so the main package does not carry them.
 */
export const call = callerFor(shopRoutes);
