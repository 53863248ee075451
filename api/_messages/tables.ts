import type { ColumnType, Generated } from 'kysely';

type At = ColumnType<Date, Date | string, Date | string>;
type AtOrNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type MessageTopicColumn = 'points_changed' | 'coupon_expiring' | 'pickup_ready' | 'stored_value_changed';
export type MessagePlatformColumn = 'wechat' | 'alipay';
export type ConsentResultColumn = 'accept' | 'reject' | 'ban' | 'filter';

/**
 * Where a message stands. `queued` waits for the sender (or its backoff);
 * `sending` is held by one sender until `lease_until`; `sent` and `failed`
 * are final; the two `skipped_*` were never sent: the member had not agreed,
 * or the shop has no template for any platform the member uses.
 */
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'skipped_no_consent' | 'skipped_no_template';

/** The owner's template per topic and platform, with its keyword → value mapping (JSON text). */
export interface MessageTemplatesTable {
  merchant_id: string;
  topic: MessageTopicColumn;
  platform: MessagePlatformColumn;
  template_id: string;
  field_map: string;
  page: string;
  enabled: boolean;
  updated_by: string;
  updated_at: At;
}

/** A member's consent to one template on one platform, as the sends it still allows. */
export interface MessageConsentsTable {
  id: Generated<number>;
  merchant_id: string;
  member_id: string;
  platform: MessagePlatformColumn;
  template_id: string;
  credits: number;
  last_result: ConsentResultColumn;
  updated_at: At;
}

/** One consent report from the mini-program, kept so a repeat adds nothing. */
export interface MessageConsentReportsTable {
  id: Generated<number>;
  merchant_id: string;
  member_id: string;
  report_id: string;
  platform: MessagePlatformColumn;
  results: string;
  request_hash: string;
  created_at: At;
}

/** The outbox: one row per message a module asked for, whatever became of it. */
export interface MemberMessagesTable {
  id: string;
  merchant_id: string;
  member_id: string;
  topic: MessageTopicColumn;
  idempotency_key: string;
  request_hash: string;
  /** The values as the caller gave them (JSON text). */
  data: string;
  platform: MessagePlatformColumn | null;
  template_id: string | null;
  /** The WeChat openid or Alipay user id the message goes to. */
  to_user: string | null;
  /** The platform's `data` built from the template's mapping when queued (JSON text). */
  payload: string | null;
  status: MessageStatus;
  attempts: Generated<number>;
  /** Whether this message has spent one of the member's credits (once, however often it is retried). */
  credit_taken: Generated<boolean>;
  next_attempt_at: AtOrNull;
  lease_token: string | null;
  lease_until: AtOrNull;
  last_error: string | null;
  created_at: At;
  finished_at: AtOrNull;
}

/** Every call to a platform's send API and what it came to, append-only. */
export interface MemberMessageAttemptsTable {
  id: Generated<number>;
  merchant_id: string;
  message_id: string;
  attempt: number;
  platform: MessagePlatformColumn;
  outcome: 'sent' | 'temporary' | 'permanent';
  code: string | null;
  detail: string | null;
  created_at: At;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface MessagesTables {
  message_templates: MessageTemplatesTable;
  message_consents: MessageConsentsTable;
  message_consent_reports: MessageConsentReportsTable;
  member_messages: MemberMessagesTable;
  member_message_attempts: MemberMessageAttemptsTable;
}
