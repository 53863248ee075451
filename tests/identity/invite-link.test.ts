import { describe, expect, it } from 'vitest';
import { inviteFromLaunch, inviteLinkUrl } from '../../shared/staff/invite-link';

describe('the invitation code a sign-in page is opened with', () => {
  const link = inviteLinkUrl('https://shop.example.com/', 'AB23CD45');

  it('builds the /j/ link on the public host', () => expect(link).toBe('https://shop.example.com/j/AB23CD45'));

  it('reads `invite` (the link page, H5), WeChat\'s `q` and Alipay\'s `qrCode`', () => {
    expect(inviteFromLaunch({ invite: 'ab23cd45' })).toBe('AB23CD45');
    expect(inviteFromLaunch({ q: encodeURIComponent(link) })).toBe('AB23CD45');
    expect(inviteFromLaunch({ q: encodeURIComponent(encodeURIComponent(link)) })).toBe('AB23CD45');
    expect(inviteFromLaunch({ qrCode: `${link}?from=poster` })).toBe('AB23CD45');
  });

  it('finds nothing in a store link, a short code or a page opened without one', () => {
    expect(inviteFromLaunch({ q: encodeURIComponent('https://shop.example.com/q/DEMO01') })).toBeNull();
    expect(inviteFromLaunch({ invite: 'AB23' })).toBeNull();
    expect(inviteFromLaunch({ qrCode: 'https://shop.example.com/j/AB23CD45XY' })).toBeNull();
    expect(inviteFromLaunch({ invite: '<script>' })).toBeNull();
    expect(inviteFromLaunch({})).toBeNull();
  });
});
