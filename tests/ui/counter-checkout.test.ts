// @vitest-environment happy-dom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckoutRequest, OrderView } from '../../shared/api/orders';
import { ApiError } from '../../src/services/errors';

const api = vi.hoisted(() => ({ call: vi.fn() }));
const network = vi.hoisted(() => ({ markOffline: vi.fn() }));
vi.mock('../../src/services/api', () => api);
vi.mock('../../src/services/counter-network', () => network);

const { useCheckout } = await import('../../src/pages/counter/parts/use-checkout');
type Checkout = ReturnType<typeof useCheckout>;

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const order = { id: 'ord_1', status: 'paid' } as unknown as OrderView;
const noAnswer = () => new ApiError(0, 'network', '网络不可用，请稍后再试');

/** A bill of `qty` of one sku, as the counter would send it. */
function requestFor(qty: number) {
  return (clientOrderId: string) => ({ clientOrderId, storeId: 'sto_1', lines: [{ skuId: 'sku_1', qty }], tenders: [], expectedTotalFen: 100 * qty, deviceId: 'dev_1' }) as unknown as CheckoutRequest;
}

function handlers() {
  return { placed: vi.fn(), priceMismatch: vi.fn(), refused: vi.fn(), unanswered: vi.fn() };
}

/** The id the last request to the server carried. */
function sentId(): string {
  const [, options] = api.call.mock.calls.at(-1) as [string, { body: CheckoutRequest }];
  return options.body.clientOrderId;
}

let root: Root;
let checkout: Checkout;

function Probe() {
  checkout = useCheckout();
  return null;
}

beforeEach(async () => {
  api.call.mockReset();
  network.markOffline.mockReset();
  root = createRoot(document.createElement('div'));
  await act(async () => root.render(createElement(Probe)));
});

afterEach(() => act(() => root.unmount()));

async function submit(qty: number, h: Parameters<Checkout['submit']>[1]) {
  await act(async () => checkout.submit(requestFor(qty), h));
}

describe('the counter checkout hook', () => {
  it('sends the bill once under a new order id and reports the order', async () => {
    api.call.mockResolvedValueOnce({ order });
    const h = handlers();
    await submit(1, h);
    expect(api.call).toHaveBeenCalledTimes(1);
    expect(api.call.mock.calls[0]?.[0]).toBe('checkout');
    expect(sentId()).toMatch(/^ord_/);
    expect(h.placed).toHaveBeenCalledWith(order);
    expect(checkout.attemptId()).toBe(sentId());
    expect(checkout.busy).toBe(false);
  });

  it('is busy while the request is out, and ignores another press meanwhile', async () => {
    let answer!: (v: { order: OrderView }) => void;
    api.call.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const h = handlers();
    let first!: Promise<void>;
    await act(async () => {
      first = checkout.submit(requestFor(1), h);
    });
    expect(checkout.busy).toBe(true);
    await act(async () => checkout.submit(requestFor(1), h));
    expect(api.call).toHaveBeenCalledTimes(1);
    await act(async () => {
      answer({ order });
      await first;
    });
    expect(checkout.busy).toBe(false);
    expect(h.placed).toHaveBeenCalledTimes(1);
  });

  it('after no answer, keeps the attempt: the same bill again carries the same id', async () => {
    api.call.mockRejectedValueOnce(noAnswer()).mockResolvedValueOnce({ order });
    const h = handlers();
    await submit(1, h);
    const first = sentId();
    expect(h.unanswered).toHaveBeenCalledWith(expect.objectContaining({ status: 0 }));
    expect(h.refused).not.toHaveBeenCalled();
    expect(checkout.attemptId()).toBe(first);
    await submit(1, h);
    expect(sentId()).toBe(first);
    expect(h.placed).toHaveBeenCalledWith(order);
  });

  it('after no answer, a changed bill is a new attempt with a new id', async () => {
    api.call.mockRejectedValueOnce(noAnswer()).mockResolvedValueOnce({ order });
    await submit(1, handlers());
    const first = sentId();
    await submit(2, handlers());
    expect(sentId()).not.toBe(first);
  });

  it('a refusal forgets the attempt and is reported; the same bill next time is a new order', async () => {
    const refusal = new ApiError(409, 'insufficient_stock', '库存不足');
    api.call.mockRejectedValueOnce(refusal).mockResolvedValueOnce({ order });
    const h = handlers();
    await submit(1, h);
    const first = sentId();
    expect(h.refused).toHaveBeenCalledWith(refusal);
    expect(h.priceMismatch).not.toHaveBeenCalled();
    expect(checkout.attemptId()).toBeNull();
    await submit(1, h);
    expect(sentId()).not.toBe(first);
  });

  it('a price mismatch forgets the attempt and goes to its own handler, awaited before the button frees', async () => {
    api.call.mockRejectedValueOnce(new ApiError(409, 'price_mismatch', '价格已变化'));
    let reloaded!: () => void;
    const h = { ...handlers(), priceMismatch: vi.fn(() => new Promise<void>((resolve) => (reloaded = resolve))) };
    let pending!: Promise<void>;
    await act(async () => {
      pending = checkout.submit(requestFor(1), h);
    });
    expect(h.priceMismatch).toHaveBeenCalledTimes(1);
    expect(h.refused).not.toHaveBeenCalled();
    expect(checkout.attemptId()).toBeNull();
    expect(checkout.busy).toBe(true);
    await act(async () => {
      reloaded();
      await pending;
    });
    expect(checkout.busy).toBe(false);
  });

  it('offline (cash): bills on the device without sending when the counter knows it is offline', async () => {
    const bill = vi.fn();
    const h = { ...handlers(), offline: { online: false, bill } };
    await submit(1, h);
    expect(api.call).not.toHaveBeenCalled();
    expect(bill).toHaveBeenCalledWith(expect.objectContaining({ clientOrderId: checkout.attemptId() }), false);
    expect(network.markOffline).not.toHaveBeenCalled();
  });

  it('offline (cash): a request with no answer marks the network down and bills on the device under the same id', async () => {
    api.call.mockRejectedValueOnce(noAnswer());
    const bill = vi.fn();
    const h = { ...handlers(), offline: { online: true, bill } };
    await submit(1, h);
    expect(network.markOffline).toHaveBeenCalledTimes(1);
    expect(bill).toHaveBeenCalledWith(expect.objectContaining({ clientOrderId: sentId() }), true);
    expect(h.unanswered).not.toHaveBeenCalled();
    expect(checkout.busy).toBe(false);
  });

  it('without an offline fallback, no answer does not mark the network down itself', async () => {
    api.call.mockRejectedValueOnce(noAnswer());
    await submit(1, handlers());
    expect(network.markOffline).not.toHaveBeenCalled();
  });

  it('lets an error that is not the API’s through, and frees the button', async () => {
    api.call.mockRejectedValueOnce(new TypeError('bug'));
    await expect(act(async () => checkout.submit(requestFor(1), handlers()))).rejects.toThrow('bug');
    expect(checkout.busy).toBe(false);
  });

  it('forget drops the attempt', async () => {
    api.call.mockRejectedValueOnce(noAnswer()).mockResolvedValueOnce({ order });
    await submit(1, handlers());
    const first = sentId();
    act(() => checkout.forget());
    expect(checkout.attemptId()).toBeNull();
    await submit(1, handlers());
    expect(sentId()).not.toBe(first);
  });
});
