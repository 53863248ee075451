import type { Migration } from '../migrator.js';

/**
 * Each merchant's identity on each payment platform (#18): in service-provider
 * mode the WeChat Pay sub-merchant number, and the Alipay authorisation of the
 * provider's app with its tokens, sealed by `api/_kernel/secret-box.ts` (never
 * stored in the clear). One row per merchant and channel; a sub-merchant
 * number or an Alipay seller belongs to one merchant only, so no merchant can
 * take payments into another's account. Direct mode (the deployment's own
 * merchant keys) may be held by one merchant per channel: a single shop that
 * deploys Guitai for itself, and never a second merchant signed up later.
 *
 * `status`: `pending` (entered or link sent, not yet usable), `active`
 * (payments may be taken), `revoked` (the merchant withdrew it, or the token
 * could not be refreshed). Changes are audited by the service that makes them.
 */
export const m0030_merchant_payment_accounts: Migration = {
  name: '0030_merchant_payment_accounts',
  up: [
    `create table merchant_payment_accounts (
      merchant_id text not null references merchants(id),
      channel text not null check (channel in ('wechat', 'alipay')),
      mode text not null check ((channel = 'wechat' and mode in ('direct', 'partner')) or (channel = 'alipay' and mode in ('direct', 'isv'))),
      status text not null check (status in ('pending', 'active', 'revoked')),
      sub_mchid text check (sub_mchid ~ '^[0-9]{8,12}$'),
      sub_appid text,
      auth_app_id text,
      seller_id text,
      app_auth_token_sealed text,
      app_refresh_token_sealed text,
      token_expires_at timestamptz,
      refresh_expires_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (merchant_id, channel),
      check (mode <> 'partner' or sub_mchid is not null),
      check (mode <> 'isv' or status = 'pending' or (app_auth_token_sealed is not null and seller_id is not null and auth_app_id is not null))
    )`,
    `create unique index merchant_payment_accounts_sub_mchid on merchant_payment_accounts (sub_mchid) where sub_mchid is not null`,
    `create unique index merchant_payment_accounts_seller on merchant_payment_accounts (seller_id) where seller_id is not null`,
    `create unique index merchant_payment_accounts_one_direct on merchant_payment_accounts (channel) where mode = 'direct'`,
  ],
};
