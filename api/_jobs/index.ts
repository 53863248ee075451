/**
 * The jobs module's face: the crons' ticks become queue messages (or run in
 * place without a queue), and the operator's failure view. Nothing outside
 * this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { tick, jobFailures } from './service.js';
export { cron_names, type CronName } from './scheduler.js';
