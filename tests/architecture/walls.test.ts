import { describe, expect, it } from 'vitest';
import { folderCycles, importEdges, layerOf, listSources, queriesIn, tableOwners, tableReads, tableWrites, type SourceFile } from './walls';

/**
 * The walls of api/ (see walls.ts for the layers). Each rule fails with the
 * places that cross it. The one allow-list is of READS: a module may read
 * another module's table where the reason below says why; nobody writes
 * another module's table, and no module imports a file inside another.
 */

/** Reader module → owner module, and why reading the owner's tables directly is right. Every entry must still be used. */
const allowed_reads: Record<string, string> = {
  '_catalog -> _purchasing': "a sale's cost is the store's moving-average cost where purchasing has set one",
  '_catalog -> _stock': 'the counter shows each SKU with what the store has on hand',
  '_commission -> _catalog': 'commission rules by category and SKU match the lines sold',
  '_commission -> _identity': "commission rules are by the staff member's role",
  '_commission -> _returns': 'commission is on net sales, less what customers brought back',
  '_commission -> _sales': 'commission is computed from the month’s sales lines',
  // Coupons (#17).
  '_coupons -> _catalog': "a coupon's scope and free item name the merchant's SKUs and categories",
  '_coupons -> _identity': "a coupon's scope names the merchant's stores",
  '_coupons -> _members': 'a coupon is issued to a member of the merchant',
  '_coupons -> _sales': "a return gives a coupon back by what the order's kept lines still count toward its threshold",
  '_credit -> _catalog': "a trade customer's price list names SKUs",
  '_credit -> _sales': 'statements and aging list the orders sold on account',
  '_identity -> _members': "a member's session is checked against the member still existing",
  '_identity -> _sales': 'store access to an order is decided by the store the order belongs to',
  '_identity -> _shifts': 'a store with a shift still open cannot be closed',
  '_onboarding -> _catalog': 'the first-run checklist ticks 添加商品 when the catalog has a product',
  '_onboarding -> _identity': 'the first-run checklist ticks 邀请店员 when a second member of staff is active',
  '_onboarding -> _payments': 'the first-run checklist ticks 设置收款 when a payment account is active',
  '_inventory-health -> _catalog': 'health is reported per category and SKU',
  '_inventory-health -> _returns': 'sell-through counts units sold less units returned',
  '_inventory-health -> _sales': 'turnover and sell-through are computed from the lines sold',
  '_inventory-health -> _stock': 'stockout days are rebuilt from the movement ledger',
  '_jobs -> _identity': 'the crons enqueue one job message per merchant',
  '_members -> _sales': "a member's visits and spend come from their orders",
  // Member messages (#17, messages stream).
  '_messages -> _members': "a message goes to the member's WeChat openid or Alipay user id",
  '_payments -> _identity': 'a payment names its merchant and store to the platform',
  '_payments -> _members': "a shopper pays with their member's platform id",
  '_payments -> _sales': 'an attempt is priced from the open order it pays',
  '_promotions -> _catalog': 'a promotion names the SKUs it covers',
  '_purchasing -> _catalog': 'purchase orders are for SKUs of the catalog',
  '_purchasing -> _identity': 'purchases are received into a store of the merchant',
  '_purchasing -> _sales': 'reorder suggestions come from units sold',
  '_purchasing -> _stock': 'reorder suggestions subtract what is available',
  '_reconcile -> _identity': 'a resolution names the member of staff who made it',
  '_reconcile -> _payments': "the bill is matched against the merchant's payments and refunds",
  '_reports -> _catalog': 'reports group sales by category and SKU',
  '_reports -> _identity': 'reports group sales by store and assistant',
  '_reports -> _returns': 'reports are net of returns',
  '_reports -> _sales': 'reports are of sales; the rollups are rebuilt from them',
  '_reservations -> _catalog': 'a reservation lists the goods it holds',
  '_reservations -> _identity': 'a reservation is for pickup at a store',
  '_reservations -> _members': 'a reservation may be made by a member',
  '_returns -> _identity': 'a return names who asked for it and who decided',
  '_returns -> _members': "returned points go back to the order's member",
  '_returns -> _payments': 'a return shows the state of its platform refunds',
  '_returns -> _sales': 'a return is of an order’s lines and tenders',
  '_sales -> _identity': 'a sale names its store and assistant',
  '_sales -> _members': "a member's price, points and balance price the sale",
  '_sales -> _payments': "an order's view shows its payment attempts",
  '_sales -> _promotions': 'the selling settings and promotions price the sale',
  '_sales -> _stock': "an order's held stock is shown with it",
  '_sales -> _shifts': "a sale's cash goes into the drawer of the shift open on its device",
  '_shifts -> _identity': 'a shift is opened, closed and confirmed by named staff of a store',
  '_shifts -> _payments': 'the day close lists platform payments still waiting for an answer',
  '_shifts -> _returns': "a drawer's expected cash is less the cash refunded on returns",
  '_shifts -> _sales': "a drawer's expected cash and the day's takings are the sales' tenders",
  '_shipping -> _payments': "shipping information is uploaded for the WeChat mini-program's paid payments, by their transaction_id and payer",
  '_shipping -> _sales': "a shipment's item_desc names the goods of the order it paid",
  '_split -> _identity': 'split rules are per store',
  '_split -> _payments': 'a split divides a succeeded payment and follows its refunds',
  '_stock -> _catalog': 'stock operations are for SKUs of the catalog, found by category for a stocktake',
  '_stock -> _identity': 'transfers move goods between stores of one merchant',
  '_storelink -> _identity': "a store's QR link opens that store",
  // Stored value (#17).
  '_stored-value -> _identity': 'a top-up is taken at a store of the merchant',
  '_payments -> _stored-value': "a top-up's payment is priced from the top-up it pays, and only its member pays it",
  '_stored-value -> _members': "a card's cap depends on whether its member has a phone on record (记名卡), and a top-up or statement is for a member of the merchant",
  // Points mall and referral (#17).
  '_points-mall -> _catalog': 'a gift is a SKU of the catalog, shown by its product name and spec and handed over at its cost',
  '_points-mall -> _identity': 'a gift is picked up at a store of the merchant',
  '_points-mall -> _members': 'a gift is redeemed by a member of the merchant',
  '_points-mall -> _purchasing': "a gift handed over leaves inventory at the store's moving-average cost",
  '_points-mall -> _stock': 'the shop shows how many of a gift the store has available',
  '_referrals -> _members': 'referrals name both members, and a shared phone refuses a reward',
  '_referrals -> _sales': 'only a member with no order yet can arrive as referred',
};

/** Type-only imports the kernel may make of a module, and why. */
const kernel_type_imports: Record<string, string> = {
  '_kernel/deps.ts -> _payments/index.ts': 'the request dependencies carry the payment channels, whose contract the payments module defines',
};

/** Folders whose imports of each other are type-only in both directions, and why that is not a cycle to break. */
const type_only_cycles: Record<string, string> = {
  '_payments,_split': "split is called by payments' jobs and refunds, and names the channel contract's types (no module is loaded for them)",
};

const files = listSources();
const edges = importEdges(files);
const owners = tableOwners(files);
const where = (f: SourceFile, line: number) => `api/${f.path}:${line}`;

describe('the walls of api/', () => {
  it('each table belongs to exactly one module', () => {
    const twice = [...owners].filter(([, mods]) => mods.length !== 1).map(([t, mods]) => `${t}: ${mods.join(', ')}`);
    expect(twice).toEqual([]);
    expect(owners.size).toBeGreaterThan(80);
  });

  it('nobody writes a table another module owns', () => {
    const crossing = tableWrites(files, new Set(owners.keys()))
      .filter((w) => !owners.get(w.table)!.includes(w.file.folder))
      .map((w) => `${where(w.file, w.line)} ${w.how} ${w.table} (owned by ${owners.get(w.table)!.join(', ')})`);
    expect(crossing).toEqual([]);
  });

  it("reads another module's tables only where the allow-list says why, and every entry is still used", () => {
    const pairs = new Map<string, string[]>();
    for (const r of tableReads(files, new Set(owners.keys()))) {
      const owner = owners.get(r.table)![0]!;
      if (owner === r.file.folder || layerOf(r.file.folder) !== 'module') continue;
      const key = `${r.file.folder} -> ${owner}`;
      pairs.set(key, [...(pairs.get(key) ?? []), `api/${r.file.path} reads ${r.table}`]);
    }
    const unexplained = [...pairs].filter(([k]) => !(k in allowed_reads)).flatMap(([, v]) => v);
    expect(unexplained).toEqual([]);
    expect(Object.keys(allowed_reads).filter((k) => !pairs.has(k))).toEqual([]);
  });

  it("no module imports a file inside another module: only its face (index.ts); the app mounts routes files", () => {
    const deep = edges
      .filter((e) => e.from.folder !== e.targetFolder && layerOf(e.targetFolder) === 'module' && !e.target.endsWith('/index.ts'))
      .filter((e) => !((layerOf(e.from.folder) === 'assembly' || layerOf(e.from.folder) === 'entry') && e.target.endsWith('.routes.ts')))
      .filter((e) => !(e.from.path === '_db/schema.ts' && e.target.endsWith('/tables.ts')))
      .map((e) => `${where(e.from, e.line)} imports api/${e.target}`);
    expect(deep).toEqual([]);
  });

  it('the kernel imports no module and not the assembly (the schema merge of tables.ts files aside)', () => {
    const up = edges
      .filter((e) => layerOf(e.from.folder) === 'kernel' && (layerOf(e.targetFolder) === 'module' || layerOf(e.targetFolder) === 'assembly'))
      .filter((e) => !(e.from.path === '_db/schema.ts' && e.typeOnly && e.target.endsWith('/tables.ts')))
      .filter((e) => !(e.typeOnly && `${e.from.path} -> ${e.target}` in kernel_type_imports))
      .map((e) => `${where(e.from, e.line)} imports api/${e.target}${e.typeOnly ? ' (types)' : ''}`);
    expect(up).toEqual([]);
  });

  it('no module imports the assembly', () => {
    const up = edges.filter((e) => layerOf(e.from.folder) === 'module' && layerOf(e.targetFolder) === 'assembly').map((e) => `${where(e.from, e.line)} imports api/${e.target}`);
    expect(up).toEqual([]);
  });

  it('no cycle between modules; a cycle of type-only imports only where explained', () => {
    const moduleEdges = edges.filter((e) => layerOf(e.from.folder) === 'module' && layerOf(e.targetFolder) === 'module');
    expect(folderCycles(moduleEdges.filter((e) => !e.typeOnly))).toEqual([]);
    const typeCycles = folderCycles(moduleEdges).map((c) => c.join(','));
    expect(typeCycles.filter((c) => !(c in type_only_cycles))).toEqual([]);
  });

  it('routes files run no queries', () => {
    const routes = files.filter((f) => f.path.endsWith('.routes.ts'));
    expect(routes.length).toBeGreaterThan(20);
    expect(queriesIn(routes).map((q) => `${where(q.file, q.line)} ${q.how}`)).toEqual([]);
  });
});

describe('the wall reader finds each shape it must', () => {
  const file = (path: string, text: string): SourceFile => ({ path, folder: path.split('/')[0]!, text });

  it('imports: static, type-only, re-exports and dynamic, resolved from .js to .ts', () => {
    const found = importEdges([
      file('_a/x.ts', "import { y } from '../_b/y.js';\nimport type { T } from '../_c/index.js';\nexport { z } from '../_d/z.js';\nconst m = await import('../_e/index.js');"),
    ]);
    expect(found.map((e) => [e.target, e.typeOnly])).toEqual([
      ['_b/y.ts', false],
      ['_c/index.ts', true],
      ['_d/z.ts', false],
      ['_e/index.ts', false],
    ]);
  });

  it('writes: Kysely calls with or without an alias, and SQL text', () => {
    const tables = new Set(['orders', 'order_tenders', 'stock_levels', 'skus', 'bill_lines']);
    const found = tableWrites(
      [
        file(
          '_a/x.ts',
          "db.insertInto('orders'); db.updateTable('stock_levels as l'); db.deleteFrom(\"skus\");\nsql`update orders set x = 1`; sql`with t as (insert into order_tenders (a) select 1) select 1`; sql`copy bill_lines (a) from stdin`; sql`delete from skus where`",
        ),
      ],
      tables,
    );
    expect(found.map((w) => `${w.how} ${w.table}`).sort()).toEqual(['copy bill_lines', 'delete from skus', 'deleteFrom skus', 'insert into order_tenders', 'insertInto orders', 'update orders', 'updateTable stock_levels'].sort());
  });

  it('reads: selectFrom and joins with aliases, and SQL from / join', () => {
    const tables = new Set(['orders', 'skus', 'sku_store_costs', 'stores']);
    const found = tableReads([file('_a/x.ts', "db.selectFrom('orders as o').leftJoin('sku_store_costs as c', 'c.id', 'o.id'); sql`select 1 from skus s join stores on true`")], tables);
    expect(found.map((r) => r.table).sort()).toEqual(['orders', 'sku_store_costs', 'skus', 'stores']);
  });

  it('queries: Kysely builder calls on any line, and sql templates typed or not', () => {
    const found = queriesIn([file('_a/x.routes.ts', "db.selectFrom('a');\ndb\n  .insertInto('b');\ntrx.updateTable('c'); db.deleteFrom('d');\nsql`select 1`; sql<number>`select 2`;\nconst sqlText = 'sql is fine in a name';")]);
    expect(found.map((q) => `${q.line} ${q.how}`)).toEqual(['1 selectFrom', '3 insertInto', '4 updateTable', '4 deleteFrom', '5 sql template', '5 sql template']);
  });

  it('cycles between folders', () => {
    const edgesOf = (pairs: [string, string][]) => importEdges(pairs.map(([a, b], i) => file(`${a}/f${i}.ts`, `import { x } from '../${b}/index.js';`)));
    expect(folderCycles(edgesOf([['_a', '_b'], ['_b', '_c'], ['_c', '_a'], ['_c', '_d']]))).toEqual([['_a', '_b', '_c']]);
    expect(folderCycles(edgesOf([['_a', '_b'], ['_b', '_c']]))).toEqual([]);
  });
});
