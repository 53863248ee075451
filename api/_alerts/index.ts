/**
 * The alerts module's face: things the owner must look at, raised by
 * payments, splits and reconciliation. Nothing outside this folder imports a
 * file inside it (tests/architecture/walls.test.ts).
 */
export { openAlerts, raiseAlert, resolveAlert } from './alerts.js';
