import type { z } from 'zod';

/** One route of the API: see `routes.ts`. */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: z.ZodType;
  response: z.ZodType;
  /** `public` needs no token; `session` any valid token; otherwise the token kind or the staff roles allowed. */
  auth: 'public' | 'session' | 'member' | 'staff' | readonly ('owner' | 'manager' | 'assistant')[];
}
