export interface Paged<T> {
  items: T[];
  nextCursor: string | null;
  /** False until the first page arrives, so an empty list is not mistaken for the end. */
  started: boolean;
}

/** Appends a page, dropping items already shown (a row may move between pages while browsing). */
export function appendPage<T extends { id: string }>(list: Paged<T>, page: { items: readonly T[]; nextCursor: string | null }): Paged<T> {
  const seen = new Set(list.items.map((item) => item.id));
  const fresh = page.items.filter((item) => !seen.has(item.id));
  return { items: [...list.items, ...fresh], nextCursor: page.nextCursor, started: true };
}
