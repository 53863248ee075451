import type { Role } from '../../shared/api/common';

export const roleNames: Readonly<Record<Role, string>> = { owner: '店主', manager: '店长', assistant: '店员' };

/** The boss pages (老板看板 and what it links to) are for owners and managers; the API refuses assistants there. */
export function mayOpenBoss(role: Role): boolean {
  return role === 'owner' || role === 'manager';
}
