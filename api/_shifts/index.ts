/**
 * The shifts module's face (交接班 and 日结). Sales and returns find their
 * shift through the sales module's `shiftForSale`, which reads this module's
 * table; nothing outside this folder imports a file inside it
 * (tests/architecture/walls.test.ts).
 */
export type { ShiftsTables } from './tables.js';
