import { z } from 'zod';

/** One job's latest attempt for the caller's merchant (GET /api/merchant/jobs). */
export const jobOutcomeView = z.object({
  job: z.string(),
  slot: z.string(),
  attempt: z.number().int(),
  outcome: z.enum(['ok', 'failed']),
  at: z.string(),
  durationMs: z.number().int(),
  error: z.string().nullable(),
  /** Failed attempts of this job in the last seven days. */
  failures: z.number().int(),
});
export const merchantJobsResponse = z.object({ items: z.array(jobOutcomeView) });

/** The operator's view across merchants (GET /api/ops/job-failures, CRON_SECRET). */
export const jobFailuresResponse = z.object({
  failures: z.array(
    z.object({
      runKey: z.string(),
      job: z.string(),
      merchantId: z.string().nullable(),
      slot: z.string(),
      attempt: z.number().int(),
      messageId: z.string().nullable(),
      at: z.string(),
      durationMs: z.number().int(),
      error: z.string().nullable(),
    }),
  ),
  dlq: z.object({ messages: z.array(z.unknown()), error: z.string().optional() }).nullable(),
});
