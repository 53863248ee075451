/**
 * The catalog module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { skusForSale } from './skus-for-sale.js';
export type { SaleSku } from './skus-for-sale.js';
