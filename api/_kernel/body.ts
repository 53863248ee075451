import { AppError } from './errors.js';

/**
 * A request body counted as it arrives, for the uploads that are read whole
 * (a product photo, an Excel sheet): a declared length above the limit is
 * refused before a byte is read, and a body that grows past it is cut there,
 * so a 30 MB upload never sits in memory. `tooLarge` names the limit in the
 * caller's words; `missing` says what was expected when nothing came.
 */
export async function readBodyLimited(request: Request, maxBytes: number, tooLarge: () => AppError, missing: string): Promise<Buffer> {
  if (Number(request.headers.get('content-length') ?? '0') > maxBytes) throw tooLarge();
  if (!request.body) throw new AppError('bad_request', missing);
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}
