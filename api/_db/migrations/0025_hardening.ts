import type { Migration } from '../migrator.js';

/**
 * Hardening found by reading the code. A refused notification is kept as a
 * hash of its body and its first bytes, not the whole body a stranger sent,
 * and the raw bodies of old notifications are dropped by the retention job
 * (so the column may now be null), which finds them by the partial index.
 */
export const m0025_hardening: Migration = {
  name: '0025_hardening',
  up: [
    `alter table payment_notifications add column body_sha256 text`,
    `alter table payment_notifications alter column raw_body drop not null`,
    `create index payment_notifications_raw_kept on payment_notifications (received_at) where raw_body is not null`,
  ],
};
