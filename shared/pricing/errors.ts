/**
 * The one error type of the pricing engine and the points arithmetic. The API
 * maps it to a 400 with its code; the mini-program shows its message, which is
 * written for shop staff.
 */
export type PricingErrorCode =
  | 'lines_invalid'
  | 'quantity_invalid'
  | 'amount_invalid'
  | 'discount_invalid'
  | 'discount_exceeds_line'
  | 'discount_exceeds_order'
  | 'points_invalid'
  | 'points_exceed_balance'
  | 'rule_invalid'
  | 'coupon_not_applicable';

export class PricingError extends Error {
  readonly code: PricingErrorCode;
  /** Where in the input the problem is, as `lines.3.qty`; undefined for the order as a whole. */
  readonly path: string | undefined;

  constructor(code: PricingErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'PricingError';
    this.code = code;
    this.path = path;
  }
}

export function isPricingError(e: unknown): e is PricingError {
  return e instanceof PricingError;
}

/** For broken invariants: a bug in this module, never bad input. */
export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`pricing invariant broken: ${message}`);
}
