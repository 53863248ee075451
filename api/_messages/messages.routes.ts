import { Hono } from 'hono';
import type { AppEnv, MemberPrincipal } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { readJson } from '../_kernel/validate.js';
import { consentReportRequest, messageTemplateRequest } from '../../shared/api/messages.js';
import { listTemplates, saveTemplate } from './templates.service.js';
import { memberSubscriptions, reportConsent } from './consent.service.js';

export const messageRoutes = new Hono<AppEnv>();

/** The owner's 消息模板 screen: templates per topic and platform, and what became of the messages. */
messageRoutes.get('/message-templates', requireAuth(['owner', 'manager']), async (c) => {
  const staff = staffOf(c.get('principal'));
  return c.json(await listTemplates(c.get('deps'), staff.merchantId));
});

messageRoutes.put('/message-templates', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, messageTemplateRequest);
  const staff = staffOf(c.get('principal'));
  return c.json({ template: await saveTemplate(c.get('deps'), staff, body) });
});

/** The member's 消息订阅 page: the shop's templates with the sends left, and their recent messages. */
messageRoutes.get('/shop/message-subscriptions', requireAuth('member'), async (c) => {
  return c.json(await memberSubscriptions(c.get('deps').db, c.get('principal') as MemberPrincipal));
});

/** What the member answered in the platform's subscription dialog. */
messageRoutes.post('/shop/message-consents', requireAuth('member'), async (c) => {
  const body = await readJson(c, consentReportRequest);
  return c.json(await reportConsent(c.get('deps'), c.get('principal') as MemberPrincipal, body));
});
