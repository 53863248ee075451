/**
 * The credit module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { creditAccountRefunds } from './credit-return.js';
export { openInvoiceForSale, priceForCustomer } from './credit-sale.js';
