import type { OrderView } from '../../shared/api/orders';
import type { PaymentView } from '../../shared/api/payments';
import { waitingViewOf, type CancelReason } from './counter-pay';
import { ApiError } from './errors';

/**
 * The payment screen's state machine, as plain data and one transition function, so every path
 * (a charge answered, refused or lost, a poll, a cancellation that the platform confirms or not)
 * can be tested without a screen. The screen sends the requests; this decides what it shows and
 * which idempotency key the next request carries.
 */

/** Where the assistant is: choosing a way to pay, entering the customer's payment code, or waiting on one attempt. */
export type PayStep = { kind: 'choose' } | { kind: 'code' } | { kind: 'wait'; payment: PaymentView };

/** What was last sent, so pressing again after a lost answer repeats the same attempt instead of charging twice. */
export interface SentCharge {
  /** What the attempt asked for ("code:<digits>", "qr:wechat"); a different request is a new attempt. */
  key: string;
  clientPaymentId: string;
}

/** The last cancellation sent: pressing again after a failed close or a lost answer finishes that one. */
export interface SentCancel {
  reason: CancelReason;
  clientCancelId: string;
}

export interface PayState {
  order: OrderView | null;
  step: PayStep;
  /** A charge is on its way; the charge buttons are disabled. */
  charging: boolean;
  sent: SentCharge | null;
  /** The cancellation on its way, by reason; while set, only the closing state is shown. */
  closing: CancelReason | null;
  cancelSent: SentCancel | null;
}

export type PayEvent =
  /** The order as the server last told it (loaded, or read again after a conflict). */
  | { type: 'order'; order: OrderView }
  /** The assistant chose to scan the customer's payment code. */
  | { type: 'enter_code' }
  /** "换一种方式": back to the choice, and the next attempt is a new one. */
  | { type: 'another' }
  /** A charge is sent; `freshId` is used unless this repeats the last attempt. Ignored while one is on its way. */
  | { type: 'charge'; key: string; freshId: string }
  /** The server took the charge: the screen waits on that attempt (it may already have succeeded). */
  | { type: 'charged'; order: OrderView; payment: PaymentView }
  /** The charge failed; `retryable` when no answer came, so the same id may be sent again. */
  | { type: 'charge_failed'; retryable: boolean }
  /** The charge request is over, answered or not. */
  | { type: 'charge_ended' }
  /** A poll's answer about the attempt being waited on. */
  | { type: 'polled'; order: OrderView; payment: PaymentView }
  /** A poll got no answer: the same attempt is asked about again on the next tick. */
  | { type: 'poll_lost'; payment: PaymentView }
  /** A cancellation is sent; `freshId` is used unless this repeats the last one. Ignored while a charge or a cancellation is on its way. */
  | { type: 'cancel'; reason: CancelReason; freshId: string }
  /** The server answered the cancellation with the order (cancelled, or paid after all). */
  | { type: 'cancel_answered'; order: OrderView }
  /** The cancellation failed; `retryable` when the same id must finish it (no answer, or the platform did not confirm the close). */
  | { type: 'cancel_failed'; retryable: boolean }
  /** The cancellation request is over, answered or not. */
  | { type: 'cancel_ended' };

export const initialPayState: PayState = { order: null, step: { kind: 'choose' }, charging: false, sent: null, closing: null, cancelSent: null };

/** The next state. An event that does not apply in the current state returns the state unchanged (the same object). */
export function payTransition(state: PayState, event: PayEvent): PayState {
  switch (event.type) {
    case 'order':
      return { ...state, order: event.order };
    case 'enter_code':
      return state.step.kind === 'choose' ? { ...state, step: { kind: 'code' } } : state;
    case 'another':
      return { ...state, sent: null, step: { kind: 'choose' } };
    case 'charge': {
      if (state.charging) return state;
      const clientPaymentId = state.sent?.key === event.key ? state.sent.clientPaymentId : event.freshId;
      return { ...state, charging: true, sent: { key: event.key, clientPaymentId } };
    }
    case 'charged':
      return { ...state, order: event.order, step: { kind: 'wait', payment: event.payment } };
    case 'charge_failed':
      // Only a request that never got an answer may be repeated with the same id.
      return event.retryable ? state : { ...state, sent: null };
    case 'charge_ended':
      return state.charging ? { ...state, charging: false } : state;
    case 'polled':
      return { ...state, order: event.order, step: { kind: 'wait', payment: event.payment } };
    case 'poll_lost':
      // A new step object, equal in content, so the screen schedules the next ask; the payment itself is on the server.
      return { ...state, step: { kind: 'wait', payment: { ...event.payment } } };
    case 'cancel': {
      if (state.closing || state.charging) return state;
      const clientCancelId = state.cancelSent?.reason === event.reason ? state.cancelSent.clientCancelId : event.freshId;
      return { ...state, closing: event.reason, cancelSent: { reason: event.reason, clientCancelId } };
    }
    case 'cancel_answered':
      return { ...state, order: event.order };
    case 'cancel_failed':
      return event.retryable ? state : { ...state, cancelSent: null };
    case 'cancel_ended':
      return state.closing ? { ...state, closing: null } : state;
  }
}

/** Whether a failed charge may be sent again with the same id: only when no answer came. */
export function chargeRetryable(e: unknown): boolean {
  return e instanceof ApiError && e.status === 0;
}

/** Whether a failed cancellation must be finished with the same id: no answer, or a close the platform did not confirm. */
export function cancelRetryable(e: unknown): boolean {
  return !(e instanceof ApiError && e.status !== 0 && e.code !== 'platform_error');
}

/** The attempt being waited on, if any. */
export function waitingPayment(state: PayState): PaymentView | null {
  return state.step.kind === 'wait' ? state.step.payment : null;
}

/** Whether the screen keeps asking the server about the attempt: not once it is settled, nor while the order is being cancelled. */
export function shouldPoll(state: PayState): boolean {
  const waiting = waitingPayment(state);
  return waiting !== null && waitingViewOf(waiting).polling && state.closing === null;
}

/** Whether the assistant may try another way: a code the customer is still confirming must be settled (or reversed by the server) first. */
export function canSwitch(state: PayState): boolean {
  const waiting = waitingPayment(state);
  return state.order?.status !== 'paid' && (!waiting || waiting.status !== 'pending' || waiting.mode === 'qr');
}

/** A small holder of the current state, so the screen reads the id it is about to send at once rather than after a render. */
export class PayMachine {
  constructor(private current: PayState = initialPayState) {}

  get state(): PayState {
    return this.current;
  }

  send(event: PayEvent): PayState {
    this.current = payTransition(this.current, event);
    return this.current;
  }
}
