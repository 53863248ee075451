import type { shopRoutes } from '../../shared/api/shop-routes';
import { shopRouteSpecs } from '../../shared/api/shop-route-specs';
import { callerFor } from './request';
import { shopResponses } from './shop-schemas';

export { showError } from './request';

type ShopRouteName = keyof typeof shopRouteSpecs;

/**
 * The routes of `shared/api/shop-routes.ts` as the main package holds them:
 * the same method, path and auth, with the zod/mini copies of the response
 * schemas. Request bodies are types only here, taken from the API's schemas;
 * the client does not parse what it sends (the server does).
 */
type ShopTable = { [N in ShopRouteName]: Omit<(typeof shopRoutes)[N], 'response'> & { response: (typeof shopResponses)[N] } };

const shopTable = Object.fromEntries(
  (Object.keys(shopRouteSpecs) as ShopRouteName[]).map((name) => [name, { ...shopRouteSpecs[name], response: shopResponses[name] }]),
) as ShopTable;

/**
 * `call` for the routes of the main package (shop pages, staff sign-in): the
 * same request layer as `api.ts`, over a table that leaves out the counter's
 * and boss's routes and parses with zod/mini, so the main package carries
 * neither their schemas nor zod's classic interface.
 */
export const call = callerFor(shopTable);
