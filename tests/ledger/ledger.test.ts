import { AssertionError } from 'node:assert';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { ensureChartOfAccounts, standardAccounts, type AccountCode } from '../../api/_ledger/accounts';
import { journal_entry_fen_max, journal_lines_per_entry_max, postEntry, type PostEntryInput, type PostLine } from '../../api/_ledger/journal.repository';
import { trialBalance } from '../../api/_ledger/trial-balance';
import { journalEntryPage, trialBalanceResponse, type TrialBalanceResponse } from '../../shared/api/ledger';
import { newId } from '../../shared/ids';

const concurrent_posts = 20;
const random_entries = 60;

/** A small deterministic generator, so a failing sequence can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

const codes = standardAccounts.map((a) => a.code);
const normalOf = new Map(standardAccounts.map((a) => [a.code, ['asset', 'expense', 'contra_revenue'].includes(a.type) ? 'debit' : 'credit']));

/** Amounts biased to the edges: one fen, round numbers, and large ones. */
function randomEntryLines(rng: ReturnType<typeof prng>): PostLine[] {
  const amount = () => rng.pick([1, 2, 99, 100, 1_000_000_00, 1 + rng.int(100_000)]);
  const debits = Array.from({ length: 1 + rng.int(3) }, amount);
  const total = debits.reduce((a, b) => a + b, 0);
  const creditCount = Math.min(1 + rng.int(3), total);
  const part = Math.floor(total / creditCount);
  const credits = Array.from({ length: creditCount }, (_, i) => (i === creditCount - 1 ? total - part * (creditCount - 1) : part));
  return [
    ...debits.map((d) => ({ account: rng.pick(codes), debitFen: d })),
    ...credits.map((c) => ({ account: rng.pick(codes), creditFen: c })),
  ];
}

/** A counter sale of 105.00 with a 5.00 discount, paid 30.00 in cash and 70.00 by WeChat, costing 60.00. */
const saleLines: PostLine[] = [
  { account: 'cash', debitFen: 3000 },
  { account: 'clearing_wechat', debitFen: 7000 },
  { account: 'sales_discounts', debitFen: 500 },
  { account: 'sales_revenue', creditFen: 10500 },
  { account: 'cost_of_goods', debitFen: 6000 },
  { account: 'inventory', creditFen: 6000 },
];

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`ledger on ${target.name}`, () => {
    let api: TestApi;
    let merchantId: string;
    let store1: string;
    let store2: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      merchantId = api.seed.merchantId;
      store1 = api.seed.storeIds.DEMO01!;
      store2 = api.seed.storeIds.DEMO02!;
    });
    afterAll(async () => api?.stop());

    const post = (input: PostEntryInput) => api.deps.db.transaction().execute((trx) => postEntry(trx, input));
    const entry = (over: Partial<PostEntryInput> & { eventKey: string }): PostEntryInput => ({
      merchantId,
      storeId: store1,
      businessDate: '2030-01-02',
      memo: '测试',
      lines: saleLines,
      ...over,
    });
    const entryCount = async (where: { eventKey?: string; merchant?: string } = {}) => {
      let q = api.deps.db.selectFrom('journal_entries').select(api.deps.db.fn.countAll<number>().as('n')).where('merchant_id', '=', where.merchant ?? merchantId);
      if (where.eventKey) q = q.where('event_key', '=', where.eventKey);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    /** Inserts an entry header as postEntry would, with whatever lines the test gives, bypassing every TS check. */
    const rawEntry = async (lines: [AccountCode, number, number][], declared: { count?: number; total?: number } = {}) => {
      const id = `jnl_${newId('request').slice(4)}`;
      await api.deps.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('journal_entries')
          .values({
            id,
            merchant_id: merchantId,
            store_id: store1,
            event_key: `raw:${id}`,
            content_hash: '0'.repeat(64),
            memo: 'raw',
            business_date: '2030-01-03',
            line_count: declared.count ?? lines.length,
            total_fen: declared.total ?? lines.reduce((s, [, d]) => s + d, 0),
          })
          .execute();
        if (lines.length > 0) {
          await trx
            .insertInto('journal_lines')
            .values(lines.map(([account, debit, credit], i) => ({ entry_id: id, line_no: i + 1, merchant_id: merchantId, account, debit_fen: debit, credit_fen: credit, memo: null })))
            .execute();
        }
      });
      return id;
    };

    describe('chart of accounts', () => {
      it('creates the standard accounts once, with the normal side their type implies', async () => {
        await api.deps.db.transaction().execute((trx) => ensureChartOfAccounts(trx, merchantId));
        await api.deps.db.transaction().execute((trx) => ensureChartOfAccounts(trx, merchantId));
        const rows = await api.deps.db.selectFrom('ledger_accounts').selectAll().where('merchant_id', '=', merchantId).orderBy('number').execute();
        expect(rows).toHaveLength(standardAccounts.length);
        expect(rows.map((r) => [r.code, r.name, r.normal_side])).toContainEqual(['clearing_wechat', '微信支付清算', 'debit']);
        expect(rows.map((r) => [r.code, r.name, r.normal_side])).toContainEqual(['sales_discounts', '销售折扣', 'debit']);
        expect(rows.map((r) => [r.code, r.name, r.normal_side])).toContainEqual(['points_liability', '积分负债', 'credit']);
        for (const r of rows) expect(r.normal_side).toBe(normalOf.get(r.code as AccountCode));
      });

      it('refuses an account whose normal side contradicts its type', async () => {
        await expect(
          api.deps.db.insertInto('ledger_accounts').values({ merchant_id: merchantId, code: 'odd', number: '9999', name: '怪', type: 'revenue', normal_side: 'debit' }).execute(),
        ).rejects.toThrow(/check/);
      });
    });

    describe('posting', () => {
      it('books a balanced entry with its lines in order', async () => {
        const result = await post(entry({ eventKey: 'sale:ord_post1' }));
        expect(result.created).toBe(true);
        expect(result.entryId).toMatch(/^jnl_[0-9A-HJKMNP-TV-Z]{26}$/);
        const head = await api.deps.db.selectFrom('journal_entries').selectAll().where('id', '=', result.entryId).executeTakeFirstOrThrow();
        expect(head).toMatchObject({ merchant_id: merchantId, store_id: store1, event_key: 'sale:ord_post1', business_date: '2030-01-02', line_count: 6, total_fen: 16500 });
        const lines = await api.deps.db.selectFrom('journal_lines').select(['line_no', 'account', 'debit_fen', 'credit_fen']).where('entry_id', '=', result.entryId).orderBy('line_no').execute();
        expect(lines.map((l) => [l.account, l.debit_fen, l.credit_fen])).toEqual(saleLines.map((l) => [l.account, l.debitFen ?? 0, l.creditFen ?? 0]));
      });

      it('books a merchant-wide entry without a store, and creates a new merchant\'s chart on first post', async () => {
        const fresh = newId('merchant');
        await api.deps.db.insertInto('merchants').values({ id: fresh, name: '新开小店' }).execute();
        const result = await post({ merchantId: fresh, eventKey: 'supplier_payment:pay1', businessDate: '2030-01-02', memo: '付供应商货款', lines: [{ account: 'payables', debitFen: 1 }, { account: 'bank', creditFen: 1 }] });
        expect(result.created).toBe(true);
        const head = await api.deps.db.selectFrom('journal_entries').select('store_id').where('id', '=', result.entryId).executeTakeFirstOrThrow();
        expect(head.store_id).toBeNull();
        expect(await api.deps.db.selectFrom('ledger_accounts').select('code').where('merchant_id', '=', fresh).execute()).toHaveLength(standardAccounts.length);
      });

      it('returns the existing entry when the same event is posted again with the same content', async () => {
        const first = await post(entry({ eventKey: 'sale:ord_repost' }));
        const reordered = [...saleLines].reverse().map((l) => ({ ...l, memo: '重试' }));
        const again = await post(entry({ eventKey: 'sale:ord_repost', lines: reordered, memo: '另一种说法', occurredAt: new Date('2030-01-02T08:00:00Z') }));
        expect(again).toEqual({ entryId: first.entryId, created: false });
        expect(await entryCount({ eventKey: 'sale:ord_repost' })).toBe(1);
      });

      it('refuses the same event with other content as idempotency_mismatch (409), writing nothing', async () => {
        await post(entry({ eventKey: 'sale:ord_mismatch' }));
        const other = saleLines.map((l) => (l.account === 'cash' ? { ...l, debitFen: 2999 } : l.account === 'sales_discounts' ? { ...l, debitFen: 501 } : l));
        for (const changed of [entry({ eventKey: 'sale:ord_mismatch', lines: other }), entry({ eventKey: 'sale:ord_mismatch', storeId: store2 }), entry({ eventKey: 'sale:ord_mismatch', businessDate: '2030-01-03' })]) {
          await expect(post(changed)).rejects.toMatchObject({ name: 'AppError', code: 'idempotency_mismatch', status: 409 });
        }
        expect(await entryCount({ eventKey: 'sale:ord_mismatch' })).toBe(1);
      });

      it('keeps the event key per merchant: another merchant may use the same key', async () => {
        const other = newId('merchant');
        await api.deps.db.insertInto('merchants').values({ id: other, name: '同名事件' }).execute();
        await post(entry({ eventKey: 'sale:ord_shared_key' }));
        const theirs = await post({ merchantId: other, eventKey: 'sale:ord_shared_key', businessDate: '2030-01-02', memo: '', lines: [{ account: 'cash', debitFen: 5 }, { account: 'sales_revenue', creditFen: 5 }] });
        expect(theirs.created).toBe(true);
      });

      it('makes one entry of concurrent identical posts, including the first post of a merchant', async () => {
        const fresh = newId('merchant');
        await api.deps.db.insertInto('merchants').values({ id: fresh, name: '并发小店' }).execute();
        const input: PostEntryInput = { merchantId: fresh, eventKey: 'sale:ord_concurrent', businessDate: '2030-01-04', memo: '并发', lines: saleLines };
        const results = await Promise.all(Array.from({ length: concurrent_posts }, () => post(input)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.entryId)).size).toBe(1);
        expect(await entryCount({ merchant: fresh })).toBe(1);
        expect(await api.deps.db.selectFrom('journal_lines').select('line_no').where('merchant_id', '=', fresh).execute()).toHaveLength(saleLines.length);
      });

      it('lets exactly one of concurrent conflicting posts win; the others get idempotency_mismatch', async () => {
        const cheaper = saleLines.map((l) => (l.account === 'cash' ? { ...l, debitFen: 2000 } : l.account === 'sales_revenue' ? { ...l, creditFen: 9500 } : l));
        const settled = await Promise.allSettled(
          Array.from({ length: concurrent_posts }, (_, i) => post(entry({ eventKey: 'sale:ord_race', lines: i % 2 === 0 ? saleLines : cheaper }))),
        );
        const won = settled.filter((s) => s.status === 'fulfilled').map((s) => s.value);
        const lost = settled.filter((s) => s.status === 'rejected').map((s) => s.reason as { code?: string });
        expect(new Set(won.map((w) => w.entryId)).size).toBe(1);
        expect(won.filter((w) => w.created)).toHaveLength(1);
        expect(won.length + lost.length).toBe(concurrent_posts);
        expect(won.length).toBe(concurrent_posts / 2);
        for (const l of lost) expect(l.code).toBe('idempotency_mismatch');
        expect(await entryCount({ eventKey: 'sale:ord_race' })).toBe(1);
      });
    });

    describe('programmer errors are assertions, checked before anything is written', () => {
      const line = (account: AccountCode, debitFen: number, creditFen: number): PostLine => ({ account, debitFen, creditFen });
      const spread = (n: number, fen: number): PostLine[] => [
        ...Array.from({ length: n - 1 }, () => ({ account: 'cash' as const, debitFen: fen })),
        { account: 'sales_revenue', creditFen: fen * (n - 1) },
      ];
      const bad: [string, Partial<PostEntryInput>][] = [
        ['unbalanced by one fen', { lines: [line('cash', 100, 0), line('sales_revenue', 0, 99)] }],
        ['a zero line', { lines: [line('cash', 100, 0), line('sales_revenue', 0, 100), line('fees', 0, 0)] }],
        ['a line on both sides', { lines: [line('cash', 100, 100), line('sales_revenue', 0, 100), line('bank', 100, 0)] }],
        ['a negative amount', { lines: [line('cash', -100, 0), line('sales_revenue', 0, -100)] }],
        ['a fractional amount', { lines: [line('cash', 100.5, 0), line('sales_revenue', 0, 100.5)] }],
        ['an unknown account', { lines: [line('petty_cash' as AccountCode, 100, 0), line('sales_revenue', 0, 100)] }],
        ['a single line', { lines: [line('cash', 0, 0)] }],
        ['more lines than journal_lines_per_entry_max', { lines: spread(journal_lines_per_entry_max + 1, 1) }],
        ['a total just past journal_entry_fen_max', { lines: [line('cash', journal_entry_fen_max + 1, 0), line('sales_revenue', 0, journal_entry_fen_max + 1)] }],
        ['a malformed event key', { eventKey: 'no colon here' }],
        ['an impossible business date', { businessDate: '2030-02-30' }],
      ];
      it.each(bad)('refuses %s', async (_, over) => {
        const eventKey = over.eventKey ?? `bad:${newId('request')}`;
        await expect(post(entry({ ...over, eventKey }))).rejects.toThrow(AssertionError);
        expect(await entryCount({ eventKey })).toBe(0);
      });

      it('accepts the limits themselves: journal_lines_per_entry_max lines and a total of journal_entry_fen_max', async () => {
        expect((await post(entry({ eventKey: 'edge:lines', lines: spread(journal_lines_per_entry_max, 1) }))).created).toBe(true);
        expect((await post(entry({ eventKey: 'edge:fen', lines: [line('inventory', journal_entry_fen_max, 0), line('owner_equity', 0, journal_entry_fen_max)] }))).created).toBe(true);
        const rows = await api.deps.db.selectFrom('journal_lines').innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id').select('journal_lines.line_no').where('journal_entries.event_key', '=', 'edge:lines').execute();
        expect(rows).toHaveLength(journal_lines_per_entry_max);
      });
    });

    describe('the database keeps the journal sound on its own', () => {
      it('refuses at commit an unbalanced entry inserted without postEntry', async () => {
        const before = await entryCount();
        await expect(rawEntry([['cash', 100, 0], ['sales_revenue', 0, 99]], { total: 100 })).rejects.toThrow(/unbalanced/);
        expect(await entryCount()).toBe(before);
      });

      it('refuses an entry with fewer lines than it declares, with no lines, or with one line', async () => {
        await expect(rawEntry([['cash', 100, 0]], { count: 2, total: 100 })).rejects.toThrow(/declares 2 lines but has 1/);
        await expect(rawEntry([], { count: 2, total: 100 })).rejects.toThrow(/declares 2 lines but has 0/);
        await expect(rawEntry([['cash', 100, 0]], { count: 1, total: 100 })).rejects.toThrow(/check/);
      });

      it('refuses a line with both or neither side, and a declared total the lines do not make', async () => {
        await expect(rawEntry([['cash', 100, 100], ['sales_revenue', 0, 0]], { total: 100 })).rejects.toThrow(/check/);
        await expect(rawEntry([['cash', 100, 0], ['sales_revenue', 0, 100]], { total: 200 })).rejects.toThrow(/declares total 200/);
      });

      it('accepts a balanced raw entry, then refuses lines added to it later, even balanced ones', async () => {
        const id = await rawEntry([['cash', 100, 0], ['sales_revenue', 0, 100]]);
        await expect(
          api.deps.db.transaction().execute((trx) =>
            trx
              .insertInto('journal_lines')
              .values([
                { entry_id: id, line_no: 3, merchant_id: merchantId, account: 'bank', debit_fen: 50, credit_fen: 0, memo: null },
                { entry_id: id, line_no: 4, merchant_id: merchantId, account: 'sales_revenue', debit_fen: 0, credit_fen: 50, memo: null },
              ])
              .execute(),
          ),
        ).rejects.toThrow(/declares 2 lines but has 4/);
        expect(await api.deps.db.selectFrom('journal_lines').select('line_no').where('entry_id', '=', id).execute()).toHaveLength(2);
      });

      it('refuses update, delete and truncate on entries and lines', async () => {
        const { entryId } = await post(entry({ eventKey: 'sale:ord_immutable' }));
        const db = api.deps.db;
        const attempts = [
          () => db.updateTable('journal_entries').set({ memo: '改' }).where('id', '=', entryId).execute(),
          () => db.deleteFrom('journal_entries').where('id', '=', entryId).execute(),
          () => db.updateTable('journal_lines').set({ debit_fen: 1 }).where('entry_id', '=', entryId).execute(),
          () => db.deleteFrom('journal_lines').where('entry_id', '=', entryId).execute(),
          () => sql`truncate journal_lines`.execute(db),
          () => sql`truncate journal_entries cascade`.execute(db),
        ];
        for (const attempt of attempts) await expect(attempt()).rejects.toThrow(/append-only/);
        const lines = await db.selectFrom('journal_lines').select(['debit_fen']).where('entry_id', '=', entryId).execute();
        expect(lines.map((l) => l.debit_fen)).toEqual(saleLines.map((l) => l.debitFen ?? 0));
      });
    });

    describe('trial balance', () => {
      it('equals a replay of random entries, and its totals are equal', async () => {
        const rng = prng(20300201);
        const expected = new Map<string, { debit: number; credit: number }>();
        for (let i = 0; i < random_entries; i++) {
          const lines = randomEntryLines(rng);
          const day = `2031-01-0${1 + rng.int(5)}`;
          await post(entry({ eventKey: `random:${i}`, storeId: rng.pick([store1, store2, null]), businessDate: day, lines }));
          for (const l of lines) {
            const e = expected.get(l.account) ?? { debit: 0, credit: 0 };
            e.debit += l.debitFen ?? 0;
            e.credit += l.creditFen ?? 0;
            expected.set(l.account, e);
          }
        }
        const owner = await api.staffToken('o_demo_owner');
        const res = await api.call('GET', '/api/ledger/trial-balance?from=2031-01-01&to=2031-01-31', { token: owner });
        expect(res.status).toBe(200);
        const tb = trialBalanceResponse.parse(res.body);
        expect(tb.accounts).toHaveLength(standardAccounts.length);
        for (const a of tb.accounts) {
          const e = expected.get(a.account) ?? { debit: 0, credit: 0 };
          expect([a.account, a.debitFen, a.creditFen]).toEqual([a.account, e.debit, e.credit]);
          expect(a.balanceFen).toBe(a.normalSide === 'debit' ? e.debit - e.credit : e.credit - e.debit);
        }
        expect(tb.totals.debitFen).toBe(tb.totals.creditFen);
        expect(tb.accounts.reduce((s, a) => s + a.debitFen - a.creditFen, 0)).toBe(0);
        expect(tb.accounts.reduce((s, a) => s + (a.normalSide === 'debit' ? a.balanceFen : -a.balanceFen), 0)).toBe(0);
      });

      it('is zero-sum over everything ever posted, and every entry balances in SQL', async () => {
        const tb = await trialBalance(api.deps.db, merchantId);
        expect(tb.totals.debitFen).toBe(tb.totals.creditFen);
        const unbalanced = await sql<{ entry_id: string }>`
          select entry_id from journal_lines group by entry_id having sum(debit_fen) <> sum(credit_fen) or count(*) < 2`.execute(api.deps.db);
        expect(unbalanced.rows).toEqual([]);
      });

      it('selects by business day and store', async () => {
        await post(entry({ eventKey: 'sale:tb_day_store1', businessDate: '2032-03-01', storeId: store1, lines: [{ account: 'cash', debitFen: 111 }, { account: 'sales_revenue', creditFen: 111 }] }));
        await post(entry({ eventKey: 'sale:tb_day_store2', businessDate: '2032-03-01', storeId: store2, lines: [{ account: 'cash', debitFen: 222 }, { account: 'sales_revenue', creditFen: 222 }] }));
        await post(entry({ eventKey: 'sale:tb_next_day', businessDate: '2032-03-02', storeId: store1, lines: [{ account: 'cash', debitFen: 444 }, { account: 'sales_revenue', creditFen: 444 }] }));
        const cash = (tb: TrialBalanceResponse) => tb.accounts.find((a) => a.account === 'cash')!.balanceFen;
        expect(cash(await trialBalance(api.deps.db, merchantId, { from: '2032-03-01', to: '2032-03-01' }))).toBe(333);
        expect(cash(await trialBalance(api.deps.db, merchantId, { from: '2032-03-01', to: '2032-03-02', storeId: store1 }))).toBe(555);
        expect(cash(await trialBalance(api.deps.db, merchantId, { from: '2032-03-02' }))).toBe(444);
        expect(cash(await trialBalance(api.deps.db, merchantId, { to: '2032-02-28', storeId: store2, from: '2032-01-01' }))).toBe(0);
      });
    });

    describe('routes', () => {
      let other: Awaited<ReturnType<typeof seedOtherMerchant>>;
      const day = '2033-05-05';
      beforeAll(async () => {
        other = await seedOtherMerchant(api.deps.db);
        const lines = (fen: number): PostLine[] => [{ account: 'clearing_alipay', debitFen: fen }, { account: 'sales_revenue', creditFen: fen }];
        await post(entry({ eventKey: 'sale:route_store1', storeId: store1, businessDate: day, lines: lines(1000) }));
        await post(entry({ eventKey: 'sale:route_store2', storeId: store2, businessDate: day, lines: lines(2000) }));
        await post(entry({ eventKey: 'settle:route_merchant', storeId: null, businessDate: day, lines: [{ account: 'bank', debitFen: 2990 }, { account: 'fees', debitFen: 10 }, { account: 'clearing_alipay', creditFen: 3000 }] }));
        await post({ merchantId: other.merchantId, storeId: other.storeId, eventKey: 'sale:route_other', businessDate: day, memo: '别家', lines: lines(7) });
      });
      const tbUrl = (q = `from=${day}&to=${day}`) => `/api/ledger/trial-balance?${q}`;
      const revenue = (body: unknown) => trialBalanceResponse.parse(body).accounts.find((a) => a.account === 'sales_revenue')!.balanceFen;

      it('shows an owner every entry of the merchant, merchant-wide ones included', async () => {
        const owner = await api.staffToken('o_demo_owner');
        const res = await api.call('GET', tbUrl(), { token: owner });
        expect(res.status).toBe(200);
        expect(revenue(res.body)).toBe(3000);
        expect(trialBalanceResponse.parse(res.body).accounts.find((a) => a.account === 'clearing_alipay')!.balanceFen).toBe(0);
        const list = journalEntryPage.parse((await api.call('GET', `/api/ledger/entries?from=${day}&to=${day}`, { token: owner })).body);
        expect(list.items.map((e) => e.eventKey).sort()).toEqual(['sale:route_store1', 'sale:route_store2', 'settle:route_merchant']);
      });

      it('shows a manager only the entries of their stores', async () => {
        const manager = await api.staffToken('o_demo_manager');
        const res = await api.call('GET', tbUrl(), { token: manager });
        expect(res.status).toBe(200);
        expect(revenue(res.body)).toBe(1000);
        const list = journalEntryPage.parse((await api.call('GET', `/api/ledger/entries?from=${day}&to=${day}`, { token: manager })).body);
        expect(list.items.map((e) => e.eventKey)).toEqual(['sale:route_store1']);
        const hidden = journalEntryPage.parse((await api.call('GET', '/api/ledger/entries?eventKey=sale:route_store2', { token: manager })).body);
        expect(hidden.items).toEqual([]);
        expect((await api.call('GET', tbUrl(`storeId=${store2}`), { token: manager })).body.error.code).toBe('forbidden');
        expect((await api.call('GET', `/api/ledger/entries?storeId=${store2}`, { token: manager })).status).toBe(403);
      });

      it('traces a business event to its entry with lines and account names', async () => {
        const owner = await api.staffToken('o_demo_owner');
        const res = await api.call('GET', '/api/ledger/entries?eventKey=settle:route_merchant', { token: owner });
        expect(res.status).toBe(200);
        const page = journalEntryPage.parse(res.body);
        expect(page.items).toHaveLength(1);
        expect(page.items[0]).toMatchObject({ storeId: null, businessDate: day, totalFen: 3000 });
        expect(page.items[0]!.lines.map((l) => [l.lineNo, l.account, l.accountName, l.debitFen, l.creditFen])).toEqual([
          [1, 'bank', '银行存款', 2990, 0],
          [2, 'fees', '手续费', 10, 0],
          [3, 'clearing_alipay', '支付宝清算', 0, 3000],
        ]);
      });

      it('pages through entries by date range', async () => {
        const owner = await api.staffToken('o_demo_owner');
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const url: string = `/api/ledger/entries?from=2031-01-01&to=2031-01-31&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
          const page = journalEntryPage.parse((await api.call('GET', url, { token: owner })).body);
          expect(page.items.length).toBeLessThanOrEqual(7);
          seen.push(...page.items.map((e) => e.eventKey));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toHaveLength(random_entries);
        expect(new Set(seen).size).toBe(random_entries);
      });

      it('keeps merchants apart: another owner sees only their own books, and our stores are not found', async () => {
        const theirs = await api.staffToken('o_other_owner');
        const res = await api.call('GET', tbUrl(), { token: theirs });
        expect(res.status).toBe(200);
        expect(revenue(res.body)).toBe(7);
        const traced = journalEntryPage.parse((await api.call('GET', '/api/ledger/entries?eventKey=sale:route_store1', { token: theirs })).body);
        expect(traced.items).toEqual([]);
        expect((await api.call('GET', tbUrl(`storeId=${store1}`), { token: theirs })).status).toBe(404);
        expect((await api.call('GET', `/api/ledger/entries?storeId=${store1}`, { token: theirs })).status).toBe(404);
      });

      it('refuses assistants and callers without a session', async () => {
        const assistant = await api.staffToken('o_demo_assistant_1');
        for (const url of [tbUrl(), '/api/ledger/entries']) {
          const res = await api.call('GET', url, { token: assistant });
          expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
          expect((await api.call('GET', url)).status).toBe(401);
        }
      });

      it.each([
        ['an impossible date', tbUrl('from=2033-02-30')],
        ['a date in another format', tbUrl('from=2033/05/05')],
        ['from after to', tbUrl('from=2033-05-06&to=2033-05-05')],
        ['a malformed store id', tbUrl('storeId=DEMO01')],
        ['an unknown parameter', tbUrl('month=2033-05')],
        ['a malformed event key', '/api/ledger/entries?eventKey=sale'],
        ['a zero limit', '/api/ledger/entries?limit=0'],
        ['a limit past page_size_max', '/api/ledger/entries?limit=101'],
        ['a cursor that is not an entry id', '/api/ledger/entries?cursor=abc'],
        ['from after to on entries', '/api/ledger/entries?from=2033-05-06&to=2033-05-05'],
      ])('answers 400 for %s', async (_, url) => {
        const owner = await api.staffToken('o_demo_owner');
        const res = await api.call('GET', url, { token: owner });
        expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
      });
    });
  });
}
