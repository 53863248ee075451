import type { Migration } from '../migrator.js';

/**
 * Lookups that grew with the table they read. A return reads the order's
 * earlier returns and the assistant's returns of the day (for the daily return
 * limit), and the reconcile cron lists the merchants paid through a channel;
 * without these indexes each one scanned the whole table.
 */
export const m0019_lookup_indexes: Migration = {
  name: '0019_lookup_indexes',
  up: [
    `create index returns_order on returns (order_id)`,
    `create index returns_requester_day on returns (requested_by, business_date)`,
    `create index payments_channel_merchant on payments (channel, merchant_id)`,
  ],
};
