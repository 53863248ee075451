import { z } from 'zod';

export const dependencyCheck = z.object({
  ok: z.boolean(),
  ms: z.number(),
  driver: z.string(),
  error: z.string().optional(),
});

export const healthResponse = z.object({
  ok: z.boolean(),
  db: dependencyCheck,
  kv: dependencyCheck,
});
export type HealthResponse = z.infer<typeof healthResponse>;
