/**
 * The stock module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { handOverHolds, holdStock, releaseHolds } from './holds.js';
export { endReservation, reserveStock } from './reservations.js';
export { movements_per_batch_max, recordMovements } from './stock.repository.js';
export { takeStock } from './take.js';
export { onHandBySku } from './on-hand.js';
