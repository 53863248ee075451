import { constants, publicEncrypt, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { SplitReturnState, SplitState } from '../channel.js';

/**
 * WeChat Pay profit sharing (分账) shapes: the answers of
 * `/v3/profitsharing/orders` (create, query, unfreeze) and
 * `/v3/profitsharing/return-orders`, mapped onto the core's split states.
 */

export const splitOrderSchema = z.object({
  transaction_id: z.string().optional(),
  out_order_no: z.string(),
  order_id: z.string().optional(),
  state: z.enum(['PROCESSING', 'FINISHED']),
  receivers: z
    .array(
      z.object({
        amount: z.number().int().min(0),
        description: z.string().optional(),
        type: z.string(),
        account: z.string(),
        result: z.enum(['PENDING', 'SUCCESS', 'CLOSED']),
        fail_reason: z.string().optional(),
      }),
    )
    .default([]),
});

export const splitReturnSchema = z.object({
  out_return_no: z.string(),
  result: z.enum(['PROCESSING', 'SUCCESS', 'FAILED']),
  fail_reason: z.string().optional(),
  amount: z.number().int().optional(),
});

export function splitStateOf(order: z.infer<typeof splitOrderSchema>): SplitState {
  return {
    state: order.state === 'FINISHED' ? 'finished' : 'processing',
    outOrderNo: order.out_order_no,
    ...(order.order_id ? { platformOrderId: order.order_id } : {}),
    receivers: order.receivers.map((r) => ({
      type: r.type,
      account: r.account,
      amountFen: r.amount,
      result: r.result === 'SUCCESS' ? 'success' : r.result === 'CLOSED' ? 'closed' : 'pending',
      ...(r.fail_reason ? { failReason: r.fail_reason } : {}),
    })),
  };
}

export function splitReturnStateOf(answer: z.infer<typeof splitReturnSchema>): SplitReturnState {
  return {
    state: answer.result === 'SUCCESS' ? 'success' : answer.result === 'FAILED' ? 'failed' : 'processing',
    outReturnNo: answer.out_return_no,
    ...(answer.fail_reason ? { failReason: answer.fail_reason } : {}),
  };
}

/** Sensitive fields (a receiver's name) go encrypted with the platform key, RSA-OAEP, base64 (A2). */
export function encryptSensitive(plaintext: string, platformKey: KeyObject): string {
  return publicEncrypt({ key: platformKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(plaintext, 'utf8')).toString('base64');
}
