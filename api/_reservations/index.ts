/**
 * The reservations module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { addDays, expireDue, pickUpInCheckout } from './reservations.service.js';
export { moveReservationsToMember } from './member-moves.js';
