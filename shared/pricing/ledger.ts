import type { Fen } from '../money.js';
import { allocateLargestRemainder } from './allocate.js';
import { invariant } from './errors.js';
import type { Adjustment, AdjustmentKind, AdjustmentSource, OrderAdjustment, PricingLineInput } from './types.js';

/** A line while it is being priced: netFen goes down as each step takes its share. */
export interface WorkingLine {
  lineIndex: number;
  input: PricingLineInput;
  unitListFen: Fen;
  /** The unit price the customer is entitled to: member price with a member attached, else retail. */
  unitPriceFen: Fen;
  listFen: Fen;
  netFen: Fen;
  adjustments: Adjustment[];
}

/** The engine's scratch state; each rule step reads nets and records adjustments through the two functions below. */
export interface PricingLedger {
  lines: WorkingLine[];
  orderAdjustments: OrderAdjustment[];
}

/** A source with only the fields that are set, so results compare equal however they were made. */
export function sourceOf(kind: AdjustmentKind, ruleId?: string, reason?: string): AdjustmentSource {
  const source: AdjustmentSource = { kind };
  if (ruleId !== undefined) source.ruleId = ruleId;
  if (reason !== undefined) source.reason = reason;
  return source;
}

function copySource(source: AdjustmentSource): AdjustmentSource {
  return sourceOf(source.kind, source.ruleId, source.reason);
}

function line(ledger: PricingLedger, lineIndex: number): WorkingLine {
  const found = ledger.lines[lineIndex];
  invariant(found !== undefined, `no line ${lineIndex}`);
  return found;
}

/** Takes fen off one line. Callers check the amount against the line's net first, with an error for the user. */
export function addLineAdjustment(ledger: PricingLedger, lineIndex: number, source: AdjustmentSource, fen: Fen): void {
  if (fen === 0) return;
  const target = line(ledger, lineIndex);
  invariant(Number.isSafeInteger(fen) && fen > 0 && fen <= target.netFen, `line ${lineIndex} adjustment ${fen} of ${target.netFen}`);
  target.netFen -= fen;
  target.adjustments.push({ source: copySource(source), fen });
}

/**
 * Takes fen off the order, spread over the lines in proportion to weights (one
 * per line, zero for lines the rule does not touch) by largest remainder.
 * Each weight must not exceed its line's net, so no line goes below zero.
 */
export function addOrderAdjustment(ledger: PricingLedger, source: AdjustmentSource, fen: Fen, weights: readonly number[]): void {
  if (fen === 0) return;
  invariant(weights.length === ledger.lines.length, 'one weight per line');
  weights.forEach((w, i) => invariant(w <= line(ledger, i).netFen, `weight ${w} over line ${i} net`));
  const shares = allocateLargestRemainder(fen, weights);
  const allocation: OrderAdjustment['allocation'] = [];
  shares.forEach((share, lineIndex) => {
    if (share === 0) return;
    addLineAdjustment(ledger, lineIndex, source, share);
    allocation.push({ lineIndex, fen: share });
  });
  ledger.orderAdjustments.push({ source: copySource(source), fen, allocation });
}

export function netsOf(ledger: PricingLedger): Fen[] {
  return ledger.lines.map((l) => l.netFen);
}

export function orderNetFen(ledger: PricingLedger): Fen {
  return ledger.lines.reduce((sum, l) => sum + l.netFen, 0);
}
