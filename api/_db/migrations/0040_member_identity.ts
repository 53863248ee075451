import type { Migration } from '../migrator.js';

/**
 * One member everywhere (#17). A member absorbed by a merge is kept, marked
 * with the member it became (merged_into), so its history and its old session
 * tokens still lead somewhere; member_merges records each merge once per
 * absorbed member (a member can be absorbed only once, which makes a second,
 * concurrent merge of the same pair find the first). member_phone_bindings
 * keeps each platform's one-time phone code (hashed) with what it bound, so a
 * repeated request replays the answer instead of spending the code again.
 */
export const m0040_member_identity: Migration = {
  name: '0040_member_identity',
  up: [
    `alter table members add column merged_into text`,
    `alter table members add column merged_at timestamptz`,
    `alter table members add constraint members_merged_pair check ((merged_into is null) = (merged_at is null) and merged_into is distinct from id)`,
    `alter table members add constraint members_merged_into_fk foreign key (merchant_id, merged_into) references members(merchant_id, id)`,
    `create index members_merged_into on members (merged_into) where merged_into is not null`,
    `create table member_merges (
      id text primary key,
      merchant_id text not null,
      from_member_id text not null,
      to_member_id text not null,
      reason text not null check (reason in ('phone_binding')),
      points_moved bigint not null check (points_moved >= 0),
      level_before text not null,
      level_after text not null,
      moved jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      check (from_member_id <> to_member_id),
      unique (merchant_id, from_member_id),
      foreign key (merchant_id, from_member_id) references members(merchant_id, id),
      foreign key (merchant_id, to_member_id) references members(merchant_id, id)
    )`,
    `create index member_merges_to on member_merges (merchant_id, to_member_id)`,
    `create table member_phone_bindings (
      id text primary key,
      merchant_id text not null,
      member_id text not null,
      platform text not null check (platform in ('wechat', 'alipay')),
      code_hash text not null unique,
      phone text not null,
      survivor_id text not null,
      merge_id text references member_merges(id),
      created_at timestamptz not null default now(),
      foreign key (merchant_id, member_id) references members(merchant_id, id),
      foreign key (merchant_id, survivor_id) references members(merchant_id, id)
    )`,
  ],
};
