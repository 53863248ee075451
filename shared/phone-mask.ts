/**
 * A phone as an assistant sees it: the first three and the last four digits
 * (`138****5678`), enough to confirm a customer who says their number, too
 * little to call or look up anyone. A number too short to keep both ends is
 * hidden whole.
 */
export const phone_visible_head_chars = 3;
export const phone_visible_tail_chars = 4;

export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (p.length <= phone_visible_head_chars + phone_visible_tail_chars) return '*'.repeat(p.length);
  return `${p.slice(0, phone_visible_head_chars)}****${p.slice(-phone_visible_tail_chars)}`;
}
