import type { RouteDef } from '../../shared/api/routes';
import type { SessionKind } from './session-codec';

/**
 * Which stored session's token a route wants. `session` routes accept either;
 * staff comes first because a signed-in assistant browsing the shop is still staff.
 */
export function sessionKindsFor(auth: RouteDef['auth']): readonly SessionKind[] {
  if (auth === 'public') return [];
  if (auth === 'member') return ['shopper'];
  if (auth === 'session') return ['staff', 'shopper'];
  return ['staff'];
}
