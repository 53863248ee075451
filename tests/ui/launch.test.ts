import { describe, expect, it } from 'vitest';
import { storeCodeFromLaunch, tableFromLaunch } from '../../src/services/launch';

describe('storeCodeFromLaunch', () => {
  it.each([
    ['WeChat link QR', { q: encodeURIComponent('https://guitai.example.com/q/DEMO01') }, 'DEMO01'],
    ['WeChat link QR with table', { q: encodeURIComponent('https://guitai.example.com/q/DEMO01/A12') }, 'DEMO01'],
    ['WeChat link encoded twice', { q: encodeURIComponent(encodeURIComponent('https://h/q/SHOP42?x=1')) }, 'SHOP42'],
    ['mini-program code scene', { scene: 'DEMO01' }, 'DEMO01'],
    ['scene as s=code', { scene: encodeURIComponent('s=DEMO01') }, 'DEMO01'],
    ['Alipay qrCode', { qrCode: 'https://guitai.example.com/q/demo01' }, 'DEMO01'],
    ['H5 ?store=', { store: 'DEMO01' }, 'DEMO01'],
    ['store wins over the rest', { store: 'AAAA1', q: 'https://h/q/BBBB2' }, 'AAAA1'],
  ])('%s', (_, query, expected) => {
    expect(storeCodeFromLaunch(query)).toBe(expected);
  });

  it.each([
    ['nothing', undefined],
    ['empty', {}],
    ['too short', { store: 'AB' }],
    ['too long', { store: 'A'.repeat(17) }],
    ['a URL without /q/', { q: encodeURIComponent('https://h/other/DEMO01') }],
    ['junk scene', { scene: 'a=1&b=2' }],
    ['broken escape', { q: '%E0%A4%A' }],
    ['not a string', { store: 12345 }],
  ])('null for %s', (_, query) => {
    expect(storeCodeFromLaunch(query as Record<string, unknown> | undefined)).toBeNull();
  });
});

describe('tableFromLaunch', () => {
  it('reads the table segment', () => {
    expect(tableFromLaunch({ q: encodeURIComponent('https://h/q/DEMO01/A12') })).toBe('A12');
    expect(tableFromLaunch({ q: encodeURIComponent('https://h/q/DEMO01') })).toBeNull();
  });
});
