import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../_kernel/errors.js';
import type { AppEnv, Principal, Role, StaffPrincipal } from '../_kernel/context.js';
import { verifySession, type SessionClaims } from './sessions.js';
import { loadMemberPrincipal, loadStaffPrincipal } from './principal.js';

export type AuthSpec = 'session' | 'member' | 'staff' | readonly Role[];

const roleNames: Record<Role, string> = { owner: '店主', manager: '店长', assistant: '店员' };

/**
 * Every non-public route declares who may call it. The token only says who
 * the caller is; the role, the stores and whether the account is still active
 * come from the database on every request, so a change takes effect at once.
 */
export function requireAuth(spec: AuthSpec) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await authorizeWith(c, spec, async () => undefined);
    await next();
  });
}

function bearer(c: Context<AppEnv>): string {
  const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(c.req.header('authorization') ?? '');
  if (!match?.[1]) throw new AppError('unauthenticated', '请先登录');
  return match[1];
}

function check(spec: AuthSpec, principal: Principal | null): Principal {
  if (!principal) throw new AppError('unauthenticated', '账号不存在或已停用');
  if (spec === 'member' && principal.kind !== 'member') throw new AppError('forbidden', '仅限顾客使用');
  if (spec !== 'session' && spec !== 'member') {
    if (principal.kind !== 'staff') throw new AppError('forbidden', '仅限店员使用');
    if (spec !== 'staff' && !spec.includes(principal.role)) {
      throw new AppError('forbidden', `需要${spec.map((r) => roleNames[r]).join('或')}权限，你是${roleNames[principal.role]}`);
    }
  }
  return principal;
}

/**
 * Authorises the caller and runs `work` at the same time, for reads on the
 * hot path (the counter's scan): `work` sees only the signed token's claims,
 * which scope it to the caller's merchant, and its result is thrown away
 * unless the principal, read from the database as always, is allowed.
 */
export async function authorizeWith<T>(c: Context<AppEnv>, spec: AuthSpec, work: (claims: SessionClaims) => Promise<T>): Promise<{ principal: Principal; result: T }> {
  const deps = c.get('deps');
  const claims = await verifySession(deps.config.sessionSecret, bearer(c), deps.clock());
  const loading =
    claims.kind === 'staff' ? loadStaffPrincipal(deps.prepared, claims.merchantId, claims.subject) : loadMemberPrincipal(deps.db, claims.merchantId, claims.subject);
  const [loaded, result] = await Promise.allSettled([loading, work(claims)]);
  if (loaded.status === 'rejected') throw loaded.reason;
  const principal = check(spec, loaded.value);
  c.set('principal', principal);
  if (result.status === 'rejected') throw result.reason;
  return { principal, result: result.value };
}

/**
 * Whether a member of staff sees customers' phones in full. Owners and
 * managers call customers back (reservations, trade receivables); an
 * assistant only needs to recognise one, so every view an assistant gets
 * carries phones masked (shared/phone-mask.ts).
 */
export function seesFullPhones(staff: StaffPrincipal): boolean {
  return staff.role === 'owner' || staff.role === 'manager';
}

export function staffOf(principal: Principal): StaffPrincipal {
  if (principal.kind !== 'staff') throw new AppError('forbidden', '仅限店员使用');
  return principal;
}
