import { useRef, useState } from 'react';
import type { CheckoutRequest, OrderView } from '../../../../shared/api/orders';
import { call } from '../../../services/api';
import { newClientId } from '../../../services/counter-ids';
import { markOffline } from '../../../services/counter-network';
import { ApiError } from '../../../services/errors';

/** The id of the last attempt, kept with what it sent: a retry of the same bill reuses it. */
interface Attempt {
  clientOrderId: string;
  fingerprint: string;
}

/** What one way of paying (cash, WeChat Pay / Alipay, 赊账) does with each outcome of a checkout. */
export interface CheckoutHandlers {
  /** The order was made on the server. */
  placed: (order: OrderView) => void;
  /** The server priced the bill differently (a promotion or price changed since the counter priced it). */
  priceMismatch: () => void | Promise<void>;
  /** The server answered with any other refusal. */
  refused: (e: ApiError) => void;
  /**
   * The request got no answer, so the order may or may not exist; the attempt is kept, and pressing
   * again sends the same id. Without `offline` this is how the failure is told.
   */
  unanswered?: (e: ApiError) => void;
  /**
   * Cash only: with the network down a sale is billed on this device and synced later. It is asked
   * before sending when the counter already knows it is offline (`triedOnline` false), and after a
   * request that got no answer (`triedOnline` true), in which case the network is also marked down.
   */
  offline?: { online: boolean; bill: (request: CheckoutRequest, triedOnline: boolean) => void };
}

export interface Checkout {
  /** A request is on its way; the button that sent it shows as busy. */
  busy: boolean;
  /** The order id of the attempt kept for a retry, if any. */
  attemptId: () => string | null;
  /** Forgets the attempt, so the next checkout is a new order (the bill was paid, cleared or cancelled). */
  forget: () => void;
  /**
   * Sends the checkout request that `requestFor` builds around an order id. The same request as the
   * last unanswered one reuses that one's id, so the server makes at most one order for it.
   */
  submit: (requestFor: (clientOrderId: string) => CheckoutRequest, handlers: CheckoutHandlers) => Promise<void>;
}

/**
 * One checkout at the counter: the attempt fingerprint that makes a retry idempotent, the handling of a
 * price mismatch and other refusals, and the offline fallback. Cash, platform payment and 赊账 each hold
 * one, so each keeps its own attempt and busy state.
 */
export function useCheckout(): Checkout {
  const attempt = useRef<Attempt | null>(null);
  const [busy, setBusy] = useState(false);

  const submit: Checkout['submit'] = async (requestFor, handlers) => {
    if (busy) return;
    // The request without its id is the fingerprint: any change to the bill makes it a new attempt.
    const fingerprint = JSON.stringify(requestFor(''));
    const clientOrderId = attempt.current?.fingerprint === fingerprint ? attempt.current.clientOrderId : newClientId('ord');
    attempt.current = { clientOrderId, fingerprint };
    const request = requestFor(clientOrderId);
    if (handlers.offline && !handlers.offline.online) {
      handlers.offline.bill(request, false);
      return;
    }
    setBusy(true);
    try {
      const { order } = await call('checkout', { body: request, quiet: true });
      handlers.placed(order);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.status === 0) {
        if (handlers.offline) {
          markOffline();
          handlers.offline.bill(request, true);
        } else handlers.unanswered?.(e);
        return;
      }
      // The server answered: this id made no order, so the next attempt may take a new one.
      attempt.current = null;
      if (e.code === 'price_mismatch') await handlers.priceMismatch();
      else handlers.refused(e);
    } finally {
      setBusy(false);
    }
  };

  return {
    busy,
    attemptId: () => attempt.current?.clientOrderId ?? null,
    forget: () => {
      attempt.current = null;
    },
    submit,
  };
}
