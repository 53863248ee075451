/**
 * The reports module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { rollupReturn, rollupSale, saleRollupCtes } from './rollups.js';
export { sold_statuses } from './today.js';
export { salesFigures, salesFiguresBy, type FigureScope, type SalesFigures } from './figures.js';
