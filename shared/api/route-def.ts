import type { z } from 'zod';

/** One route of the API: see `routes.ts`. */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: z.ZodType;
  response: z.ZodType;
  /**
   * `public` needs no token; `session` any valid token; otherwise the token kind or the staff roles allowed.
   * `platform` routes take no token but a payment platform's signature over the body, checked by the route;
   * `cron` routes take the deployment's `CRON_SECRET` as the bearer, which only Vercel's scheduler (and the operator) holds.
   * `queue` routes take no token but the job queue's `Upstash-Signature` over the raw body, checked before anything else.
   * The mini-program calls none of these.
   */
  auth: 'public' | 'session' | 'member' | 'staff' | 'platform' | 'cron' | 'queue' | readonly ('owner' | 'manager' | 'assistant')[];
}
