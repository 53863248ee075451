import type { Insertable } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { PricingResult } from '../../shared/pricing/types.js';
import { newId } from '../../shared/ids.js';
import type { SaleSku } from '../_catalog/index.js';

/** The stored lines of a priced order, as checkout and open orders both write them: names, spec and cost as they were at the sale. */
export function orderLineRows(merchantId: string, orderId: string, lines: PricingResult['lines'], skus: Map<string, SaleSku>): Insertable<DB['order_lines']>[] {
  return lines.map((l) => {
    const sku = skus.get(l.skuId)!;
    return {
      id: newId('order'),
      merchant_id: merchantId,
      order_id: orderId,
      line_index: l.lineIndex,
      sku_id: l.skuId,
      product_name: sku.productName,
      spec: sku.spec,
      category_id: sku.categoryId,
      parent_category_id: sku.parentCategoryId,
      qty: l.qty,
      unit_list_fen: l.unitListFen,
      list_fen: l.listFen,
      net_fen: l.netFen,
      cost_fen: sku.costFen * l.qty,
      adjustments: JSON.stringify(l.adjustments),
    };
  });
}
