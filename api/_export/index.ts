/**
 * The export module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { attachment, reportFileName } from './cells.js';
export { csvField, csvLine, reportCsv, utf8_bom } from './csv.js';
export { reportXlsx } from './xlsx.js';
