import type { Role } from '../../shared/api/common';

export const roleNames: Readonly<Record<Role, string>> = { owner: '店主', manager: '店长', assistant: '店员' };
