import type { Migration } from '../migrator.js';

/**
 * Member messages (订阅消息, #17). The owner's templates per topic and
 * platform; each member's consent per platform and template as send credits
 * (a WeChat one-time subscription allows one message per accept), changed
 * only by a conditional update so two senders can never spend one credit
 * twice; the client's consent reports, once per report id; the outbox of
 * messages, once per idempotency key; and every send attempt with its outcome,
 * append-only.
 */
export const m0045_member_messages: Migration = {
  name: '0045_member_messages',
  up: [
    `create table message_templates (
      merchant_id text not null references merchants(id),
      topic text not null check (topic in ('points_changed', 'coupon_expiring', 'pickup_ready', 'stored_value_changed')),
      platform text not null check (platform in ('wechat', 'alipay')),
      template_id text not null check (length(template_id) between 1 and 64),
      field_map text not null,
      page text not null,
      enabled boolean not null,
      updated_by text not null,
      updated_at timestamptz not null,
      primary key (merchant_id, topic, platform)
    )`,
    `create table message_consents (
      id bigserial primary key,
      merchant_id text not null references merchants(id),
      member_id text not null references members(id),
      platform text not null check (platform in ('wechat', 'alipay')),
      template_id text not null,
      credits integer not null check (credits between 0 and 50),
      last_result text not null check (last_result in ('accept', 'reject', 'ban', 'filter')),
      updated_at timestamptz not null,
      unique (member_id, platform, template_id)
    )`,
    `create table message_consent_reports (
      id bigserial primary key,
      merchant_id text not null references merchants(id),
      member_id text not null references members(id),
      report_id text not null,
      platform text not null check (platform in ('wechat', 'alipay')),
      results text not null,
      request_hash text not null,
      created_at timestamptz not null,
      unique (merchant_id, report_id)
    )`,
    `create table member_messages (
      id text primary key,
      merchant_id text not null references merchants(id),
      member_id text not null references members(id),
      topic text not null check (topic in ('points_changed', 'coupon_expiring', 'pickup_ready', 'stored_value_changed')),
      idempotency_key text not null,
      request_hash text not null,
      data text not null,
      platform text check (platform in ('wechat', 'alipay')),
      template_id text,
      to_user text,
      payload text,
      status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'skipped_no_consent', 'skipped_no_template')),
      attempts integer not null default 0 check (attempts >= 0),
      credit_taken boolean not null default false,
      next_attempt_at timestamptz,
      lease_token text,
      lease_until timestamptz,
      last_error text,
      created_at timestamptz not null,
      finished_at timestamptz,
      unique (merchant_id, idempotency_key),
      check ((status in ('skipped_no_consent', 'skipped_no_template')) or (platform is not null and template_id is not null and to_user is not null and payload is not null))
    )`,
    // The sender's sweep reads only what is still to do.
    `create index member_messages_due on member_messages (merchant_id, next_attempt_at) where status in ('queued', 'sending')`,
    `create index member_messages_member on member_messages (member_id, created_at)`,
    `create table member_message_attempts (
      id bigserial primary key,
      merchant_id text not null references merchants(id),
      message_id text not null references member_messages(id),
      attempt integer not null check (attempt >= 1),
      platform text not null check (platform in ('wechat', 'alipay')),
      outcome text not null check (outcome in ('sent', 'temporary', 'permanent')),
      code text,
      detail text,
      created_at timestamptz not null,
      unique (message_id, attempt)
    )`,
  ],
};
