import type { RouteDef } from '../../shared/api/routes';
import type { SessionKind } from './session-codec';

/**
 * Which stored session's token a route wants. `session` routes accept either;
 * staff comes first because a signed-in assistant browsing the shop is still staff.
 */
export function sessionKindsFor(auth: RouteDef['auth']): readonly SessionKind[] {
  // The platforms' notifications and the scheduler's jobs carry no session; the client never calls them.
  if (auth === 'public' || auth === 'platform' || auth === 'cron') return [];
  if (auth === 'member') return ['shopper'];
  if (auth === 'session') return ['staff', 'shopper'];
  return ['staff'];
}
