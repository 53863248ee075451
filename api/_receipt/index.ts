/**
 * The receipt module's face: ESC/POS bytes for a 58 mm printer. It brings
 * iconv-lite with it, so callers import this face dynamically, when a receipt
 * is printed.
 */
export { escposBytes, escposFromLayout } from './escpos.js';
