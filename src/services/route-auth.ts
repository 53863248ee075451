import type { RouteDef } from '../../shared/api/routes';
import type { SessionKind } from './session-codec';

/**
 * Which stored session's token a route wants. `session` routes accept either;
 * staff comes first because a signed-in assistant browsing the shop is still staff.
 */
export function sessionKindsFor(auth: RouteDef['auth']): readonly SessionKind[] {
  // The platforms' notifications, the scheduler's jobs and the queue's deliveries carry no session; the client never calls them.
  if (auth === 'public' || auth === 'platform' || auth === 'cron' || auth === 'queue') return [];
  if (auth === 'member') return ['shopper'];
  if (auth === 'session') return ['staff', 'shopper'];
  return ['staff'];
}
