import type { Context } from 'hono';
import type { Deps } from './deps.js';

export type Role = 'owner' | 'manager' | 'assistant';

export interface StaffPrincipal {
  kind: 'staff';
  staffId: string;
  merchantId: string;
  name: string;
  role: Role;
  /** The stores this person may act in: every store for an owner. */
  storeIds: string[];
}

export interface MemberPrincipal {
  kind: 'member';
  memberId: string;
  merchantId: string;
}

export type Principal = StaffPrincipal | MemberPrincipal;

export interface AppEnv {
  Variables: {
    deps: Deps;
    requestId: string;
    principal: Principal;
  };
}

export type AppContext = Context<AppEnv>;
