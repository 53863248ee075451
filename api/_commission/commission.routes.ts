import { Hono } from 'hono';
import type { AppEnv } from '../_http/context';

export const commissionRoutes = new Hono<AppEnv>();
