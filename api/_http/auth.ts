import { createMiddleware } from 'hono/factory';
import { AppError } from './errors';
import type { AppEnv, Principal, Role, StaffPrincipal } from './context';
import { verifySession } from '../_identity/sessions';
import { loadMemberPrincipal, loadStaffPrincipal } from '../_identity/principal';

export type AuthSpec = 'session' | 'member' | 'staff' | readonly Role[];

const roleNames: Record<Role, string> = { owner: '店主', manager: '店长', assistant: '店员' };

/**
 * Every non-public route declares who may call it. The token only says who
 * the caller is; the role, the stores and whether the account is still active
 * come from the database on every request, so a change takes effect at once.
 */
export function requireAuth(spec: AuthSpec) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
    if (!match?.[1]) throw new AppError('unauthenticated', '请先登录');
    const deps = c.get('deps');
    const claims = await verifySession(deps.config.sessionSecret, match[1], deps.clock());
    const principal: Principal | null =
      claims.kind === 'staff'
        ? await loadStaffPrincipal(deps.db, claims.merchantId, claims.subject)
        : await loadMemberPrincipal(deps.db, claims.merchantId, claims.subject);
    if (!principal) throw new AppError('unauthenticated', '账号不存在或已停用');
    if (spec === 'member' && principal.kind !== 'member') throw new AppError('forbidden', '仅限顾客使用');
    if (spec !== 'session' && spec !== 'member') {
      if (principal.kind !== 'staff') throw new AppError('forbidden', '仅限店员使用');
      if (spec !== 'staff' && !spec.includes(principal.role)) {
        throw new AppError('forbidden', `需要${spec.map((r) => roleNames[r]).join('或')}权限，你是${roleNames[principal.role]}`);
      }
    }
    c.set('principal', principal);
    await next();
  });
}

export function staffOf(principal: Principal): StaffPrincipal {
  if (principal.kind !== 'staff') throw new AppError('forbidden', '仅限店员使用');
  return principal;
}
