import { z } from 'zod';

/** Each store's aggregated QR (聚合码) link, for the owner to print. */
export const storeLinksResponse = z.object({
  items: z.array(z.object({ storeId: z.string(), code: z.string(), name: z.string(), address: z.string(), url: z.string() })),
});
export type StoreLinksResponse = z.infer<typeof storeLinksResponse>;
