/**
 * Chinese names for the owner's full export: what each file holds (for the
 * 说明 file) and a header for each column. Columns are named from their words
 * (created_at → 创建时间, amount_fen → 金额（元）); a column with a word not
 * listed here keeps its database name, so a table a later module adds still
 * exports, with its own names, until someone names its words here.
 */

/** What each exported table holds, in one line for the owner. */
export const table_titles: Readonly<Record<string, string>> = {
  merchants: '商户本身：名称与开户时间',
  audit_log: '操作日志：谁在何时做了什么',
  batch_tracked_skus: '开启批次管理的商品',
  categories: '商品分类',
  commission_rules: '提成规则',
  commission_statements: '每月提成单（含确认记录）',
  credit_approvals: '赊账审批',
  customer_receipts: '商贸客户还款',
  customer_reservation_lines: '预约取货的商品明细',
  customer_reservations: '预约取货单',
  day_closes: '日结记录',
  discount_approvals: '改价审批码',
  discount_limits: '各角色的改价权限',
  journal_entries: '会计分录（每笔业务一条）',
  journal_lines: '会计分录明细（借方、贷方）',
  ledger_accounts: '会计科目',
  members: '会员',
  merchant_payment_accounts: '微信支付、支付宝的收款账户设置',
  merchant_settings: '积分与会员等级设置',
  order_cancellations: '订单取消记录',
  order_lines: '订单商品明细',
  order_tenders: '订单收款明细（现金、微信、支付宝等）',
  orders: '订单',
  owner_alerts: '给店主的提醒',
  payable_allocations: '供应商付款与退货冲抵应付的明细',
  payment_events: '线上支付的状态变化记录',
  payment_splits: '分账单',
  payments: '线上支付（微信、支付宝）',
  platform_refunds: '原路退款（微信、支付宝）',
  points_ledger: '积分流水',
  products: '商品',
  promotions: '促销活动',
  purchase_order_lines: '采购单商品明细',
  purchase_orders: '采购单',
  purchase_receipts: '采购收货',
  purchase_returns: '采购退货',
  receivable_settlements: '应收账款的冲销明细',
  receivables: '商贸客户应收账款',
  reconcile_bills: '已导入的平台对账单',
  reconcile_downloads: '对账单下载记录',
  reconcile_postings: '对账产生的记账（手续费等）',
  reconcile_resolutions: '对账差异的处理说明',
  reconcile_runs: '对账批次',
  reconcile_settings: '对账设置（容差、费率）',
  report_order_daily: '报表汇总：按天、门店、店员、渠道的订单',
  report_sku_daily: '报表汇总：按天、门店的商品销量',
  report_sku_daily_all: '报表汇总：按天的商品销量（全部门店）',
  report_sku_monthly: '报表汇总：按月、门店的商品销量',
  report_sku_monthly_all: '报表汇总：按月的商品销量（全部门店）',
  report_tender_daily: '报表汇总：按天、门店的收款方式',
  return_limits: '各角色的退货权限',
  returns: '退货单',
  shift_cash_moves: '班次内的存取现金',
  shift_settings: '门店的日结时间',
  shifts: '班次与交接班',
  shipping_events: '微信发货管理的通知',
  shipping_uploads: '向微信上传发货信息的记录',
  sku_cost_history: '商品成本变化（移动加权平均）',
  sku_store_costs: '各门店的商品平均成本',
  skus: '商品规格（条码、售价、会员价、成本）',
  split_log: '分账日志',
  split_receivers: '分账接收方',
  split_rules: '分账规则',
  staff: '员工',
  staff_invites: '员工邀请码',
  staff_stores: '员工所属门店',
  stock_alert_settings: '库存提醒设置',
  stock_batch_records: '批次登记记录',
  stock_batches: '商品批次与到期日',
  stock_levels: '当前库存（在手、预留）',
  stock_limits: '库存上下限',
  stock_movements: '库存流水（每次增减一条）',
  stock_reservations: '库存预留',
  stock_transfer_lines: '调拨单商品明细',
  stock_transfers: '调拨单',
  stocktake_lines: '盘点明细',
  stocktakes: '盘点单',
  store_settings: '门店设置（抹零、预约保留时长）',
  stores: '门店',
  supplier_payables: '供应商应付账款',
  supplier_payments: '供应商付款',
  suppliers: '供应商',
  trade_customer_prices: '商贸客户的协议价',
  trade_customers: '商贸客户',
  catalog_imports: '商品导入记录（文件指纹与导入数量）',
  catalog_import_changes: '商品导入改价明细（每个商品改前改后的价格）',
  job_runs: '自动任务的运行记录',
  product_photos: '商品照片',
  store_prices: '门店自定价格',
  price_changes: '批量调价记录',
  merchant_sign_ups: '开店记录',
  merchant_setup_marks: '开店清单的完成标记',
  // Member messages (#17, messages stream).
  message_templates: '订阅消息模板（每个主题、平台一个）',
  message_consents: '会员对消息模板的订阅（剩余可发次数）',
  message_consent_reports: '会员订阅结果的上报记录',
  member_messages: '发给会员的订阅消息',
  member_message_attempts: '订阅消息的每次发送及结果',
  // members-identity stream (#17)
  member_merges: '会员合并记录（绑定手机号后合为一人）',
  member_phone_bindings: '会员绑定手机号的记录',
  // Coupons (#17).
  coupon_templates: '优惠券模板：面额、门槛、有效期、适用范围与发放限制',
  coupons: '发给会员的优惠券（每张一行）',
  coupon_member_counts: '每位会员每种优惠券已领取张数',
  coupon_events: '优惠券的使用、退回、释放与会员合并记录',
  // Stored value (#17).
  stored_value_plans: '储值方案（充多少送多少）',
  stored_value_settings: '储值设置（每张卡余额上限）',
  stored_value_accounts: '会员储值余额（本金与赠送分开）',
  stored_value_top_ups: '储值充值记录',
  stored_value_refunds: '储值退款（退本金、赠送作废）',
  stored_value_ledger: '储值流水（每次变动一行，本金与赠送分开）',
  // Points mall and referral (#17).
  mall_gifts: '积分商城的礼品',
  mall_redemptions: '积分兑换礼品记录（含取货码、领取与取消）',
  referral_settings: '邀请有礼设置',
  referrals: '老带新邀请记录与奖励',
  referral_daily_counts: '邀请人每日获奖次数',
};

/**
 * The points mall's and referral's columns (#17), whole, in a block of their
 * own so another module's names merged beside them cannot collide.
 */
const points_mall_referral_column_names: Readonly<Record<string, string>> = {
  gift_id: '礼品编号',
  points_price: '所需积分',
  per_member_max: '每人限兑',
  picked_up_at: '领取时间',
  picked_up_by: '领取经办人',
  cancelled_at: '取消时间',
  cancelled_by: '取消人',
  enabled: '启用',
  referrer_points: '邀请人积分',
  referee_points: '新会员积分',
  referrer_coupon_template_id: '邀请人优惠券模板',
  referee_coupon_template_id: '新会员优惠券模板',
  daily_cap: '每日上限',
  referrer_member_id: '邀请人会员编号',
  referee_member_id: '新会员编号',
  refused_reason: '未奖励原因',
  referee_phone: '新会员手机号',
  arrived_at: '到访时间',
  decided_on: '判定营业日',
  rewarded: '已奖励次数',
};

/** Whole column names whose words alone would read badly. */
const column_names: Readonly<Record<string, string>> = {
  // A shop order's part paid from stored value (#17), in yuan like the other amounts.
  stored_value_fen: '储值支付（元）',
  // A store's own receipt texts (#15).
  receipt_header: '小票抬头',
  receipt_footer: '小票页脚',
  // The store a catalog import's opening stock went into (#15).
  opening_store_id: '期初库存所在门店',
  ...points_mall_referral_column_names,
  id: '编号',
  request_hash: '请求指纹',
  idempotency_key: '防重复键',
  content_hash: '内容指纹',
  body_hash: '内容指纹',
  close_hash: '结班指纹',
  result_hash: '结果指纹',
  sha256: '文件指纹',
  business_date: '营业日',
  on_hand: '在手库存',
  on_hand_delta: '在手变动',
  on_hand_before: '变动前在手',
  reserved_delta: '预留变动',
  balance_after: '变动后余额',
  line_no: '行号',
  line_index: '行号',
  seq: '顺序号',
  pinyin: '拼音首字母',
  spec: '规格',
  sort: '排序',
  po_id: '采购单编号',
  out_trade_no: '商户订单号',
  out_refund_no: '商户退款单号',
  out_no: '商户单号',
  receipt_no: '小票号',
  code_url: '收款码链接',
  jsapi: '小程序支付参数',
  fee_milli: '手续费（厘）',
  fee_rate_ppm: '费率（百万分之）',
  line_bp_max: '单品最多减（万分之）',
  order_bp_max: '整单最多减（万分之）',
  points_redeem_cap_bp: '积分抵扣上限（万分之）',
  points_per_yuan: '每元积分',
  points_redeem_per_fen: '每分钱所需积分',
  reservation_ttl_minutes: '预约保留（分钟）',
  byte_count: '文件字节数',
  errcode: '错误码',
  errmsg: '错误信息',
  tiers: '阶梯',
  counts: '清点数',
  normal_side: '余额方向',
  total_fen_max: '合计最多减（元）',
  used_by_order: '使用订单编号',
  credit_limit: '信用额度',
  expires_on: '到期日',
  added_at_platform_at: '平台添加时间',
  effective_from: '生效日期',
  no_sale_days: '无销售天数',
  book_at_count: '清点时账面数',
  settled_by: '确认方式',
  pickup_by: '取货截止时间',
  // Member messages (#17, messages stream).
  to_user: '接收人',
  field_map: '关键词对应',
  template_id: '模板编号',
  credit_taken: '已用订阅次数',
  lease_token: '发送锁',
  lease_until: '锁定至',
  next_attempt_at: '下次尝试时间',
  last_error: '最近错误',
  report_id: '报告编号',
  message_id: '消息编号',
  payload: '发送内容',
  data: '消息数据',
  // members-identity stream (#17)
  from_member_id: '被合并会员编号',
  to_member_id: '保留会员编号',
  merged_into: '合并到会员编号',
  merged_at: '合并时间',
  survivor_id: '保留会员编号',
  merge_id: '合并记录编号',
  points_moved: '转移积分',
  moved: '迁移明细',
  code_hash: '授权码指纹',
  // Coupons (#17).
  off_bp: '折扣（万分之）',
  free_sku_id: '赠品商品规格编号',
  valid_from: '生效时间',
  valid_until: '失效时间',
  valid_days: '领取后有效天数',
  store_ids: '适用门店',
  category_ids: '适用分类',
  sku_ids: '适用商品规格',
  per_member_max: '每人限领',
  total_max: '发放总量',
  issued_count: '已发放张数',
  claimable: '可在商城领取',
  auto_issue: '自动发放时机',
  auto_level: '升级到的等级',
  return_policy: '退货时是否退回',
  stopped_by: '停发人',
  stopped_at: '停发时间',
  used_order_id: '使用订单编号',
  used_at: '使用时间',
  issued: '已领取张数',
  coupon_id: '优惠券编号',
  expiry_noticed_at: '到期提醒时间',
};

/** Amounts in fen whose names do not end in _fen, and names ending in _fen that are not amounts. */
const money_columns_extra: ReadonlySet<string> = new Set(['total_fen_max']);
const not_money_columns: ReadonlySet<string> = new Set(['points_redeem_per_fen']);

/** Whether a numeric column holds fen, so the export writes it in yuan. */
export function isMoneyColumn(column: string): boolean {
  return (column.endsWith('_fen') || money_columns_extra.has(column)) && !not_money_columns.has(column);
}

/** The words of column names. */
const words: Readonly<Record<string, string>> = {
  account: '账户', action: '操作', active: '启用', actor: '操作人', added: '添加', address: '地址', adjusted: '调整', adjustments: '优惠明细',
  after: '后', alipay: '支付宝', amount: '金额', app: '应用', appid: '应用号', approval: '审批', approved: '审批', attempt: '第几次', attempts: '尝试次数',
  auth: '授权', avg: '平均', balance: '余额', barcode: '条码', batch: '批次', before: '前', bill: '账单', book: '账面', bp: '（万分之）', business: '营业',
  cap: '上限', cash: '现金', category: '分类', change: '找零', channel: '渠道', class: '类别', clawback: '扣回', client: '客户端', close: '结班',
  closed: '关闭', closes: '日结', code: '代码', confirm: '确认', confirmed: '确认', contact: '联系人', cost: '成本', count: '数', counted: '实盘',
  created: '创建', credit: '贷方', customer: '客户', date: '日期', day: '天', days: '天数', debit: '借方', decided: '审批', decision: '审批',
  dedupe: '去重', definition: '规则', delta: '变动', detail: '详情', device: '设备', diff: '差额', discount: '优惠', due: '到期', earned: '获得',
  effective: '生效', ended: '结束', ends: '结束', entry: '分录', error: '错误', event: '事件', expected: '应有', expires: '到期', expiry: '到期',
  failure: '失败', fee: '手续费', finished: '完成', flagged: '标记', float: '备用金', from: '调出', gain: '盘盈', goods: '商品', hand: '手',
  handed: '交付', handover: '交付', headers: '请求头', issued: '开具', item: '件', key: '键', kind: '类型', last: '最近', lead: '到货',
  level: '等级', levels: '等级', limit: '额度', line: '行', list: '原价', logistics: '物流', loss: '盘亏', max: '最多', mchid: '商户号',
  member: '会员', memo: '摘要', merchant: '商户', message: '内容', method: '方式', min: '最少', mode: '方式', month: '月份', name: '名称',
  near: '临近', net: '净额', no: '号', note: '说明', notification: '通知', number: '编号', occurred: '发生', offline: '离线',
  opened: '开班', opening: '期初', order: '订单', ordered: '下单', outcome: '结果', paid: '已付', payable: '应付', payment: '支付',
  per: '每', phone: '电话', pickup: '取货', platform: '平台', points: '积分', price: '价格', pricing: '计价明细', product: '商品',
  profit: '分账', qty: '数量', queries: '查询次数', query: '查询', rate: '比例', raw: '原始', reason: '原因', receipt: '收货',
  receivable: '应收', receive: '收货', received: '收到', receiver: '接收方', redeem: '抵扣', redeemed: '抵扣', ref: '关联', reference: '参考号',
  refresh: '刷新', refund: '退款', refunded: '已退', requested: '申请', reservation: '预约', reserved: '预留', resolved: '处理', retail: '零售',
  retained: '留存', return: '退货', returned: '退货', role: '角色', rounding: '抹零', rule: '规则', run: '对账批次', sale: '销售', sales: '销售',
  scope: '范围', sealed: '（加密）', seller: '卖家', settled: '已结', settlement: '结算', sharing: '', shift: '班次', shipped: '发货',
  side: '方向', sku: '商品规格', sold: '售出', source: '来源', split: '分账', staff: '员工', started: '开始', starts: '开始', status: '状态',
  stock: '库存', stocktake: '盘点', store: '门店', sub: '子', subject: '对象', subtotal: '小计', succeeded: '成功', summary: '汇总',
  supplier: '供应商', surplus: '多付', table: '桌', taken: '收款', terms: '账期', time: '时间', to: '调入', token: '令牌', tolerance: '容差',
  total: '合计', trade: '交易', transaction: '交易', transfer: '调拨', trigger: '触发', type: '类型', unit: '单位', updated: '更新',
  uploaded: '上传', url: '链接', used: '使用', user: '用户', value: '金额', variance: '差异', version: '版本', wechat: '微信', write: '核销',
  written: '核销', off: '', at: '时间', by: '人', id: '编号', ids: '编号', out: '', over: '', late: '', sha256: '指纹', hash: '指纹', openid: '用户标识',
  receipts: '收款', index: '序号', minutes: '分钟', ttl: '保留', milli: '厘', ppm: '百万分之', body: '内容', result: '结果', yuan: '元',
  multiplier: '倍数', job: '任务', slot: '时段', duration: '耗时', ms: '毫秒', storage: '存储', content: '内容', bytes: '字节', width: '宽', height: '高',
  sort: '排序', hours: '时间', request: '请求', photo: '照片', counts: '数量', rows: '行数', mark: '标记', step: '步骤', changes: '变动', shop: '店铺',
  // Member messages (#17, messages stream).
  enabled: '启用', topic: '主题', credits: '可发次数', results: '结果', page: '页面', template: '模板',
  // Stored value (#17).
  plan: '方案', pay: '充值', bonus: '赠送', principal: '本金', forfeited: '作废', credited: '入账', stopped: '停用',
  // Category tree (#15).
  parent: '上级', hidden: '在店铺隐藏',
  // The stored-value word (#17), for columns such as orders.stored_value_fen.
  stored: '储值',
};

/** A header for a column: its Chinese words, amounts in fen marked （元）; the database name where a word is not known. */
export function columnHeader(column: string): string {
  const whole = column_names[column];
  if (whole !== undefined) return whole;
  const fen = isMoneyColumn(column);
  const base = fen ? column.slice(0, -'_fen'.length) : column;
  let name: string | null = column_names[base] ?? null;
  if (name === null) {
    const parts = base.split('_').map((w) => words[w]);
    name = parts.every((p) => p !== undefined) ? parts.join('') : null;
  }
  if (name === null) return column;
  if (fen) return `${name || '金额'}（元）`;
  return name;
}

/** Headers for a table's columns, each unique: a second column with the same Chinese name keeps its database name beside it. */
export function columnHeaders(columns: readonly string[]): string[] {
  const seen = new Set<string>();
  return columns.map((c) => {
    const header = columnHeader(c);
    const unique = seen.has(header) ? `${header}（${c}）` : header;
    seen.add(unique);
    return unique;
  });
}
