/**
 * Limits on talking to a platform, so a call that hangs fails with a reason
 * instead of holding a counter or a cron run until the function is killed.
 * A bill download may rightly take minutes, so it is limited differently:
 * its answer must start in time and then keep bringing bytes.
 */

/** A WeChat Pay API call, answer included (Alipay's SDK calls take alipay_pay_request_timeout_ms, the same). */
export const wechat_request_timeout_ms = 10_000;
/** A bill download's answer (status and headers) must start within this. */
export const bill_download_answer_timeout_ms = 15_000;
/** A bill download that brings no byte for this long is given up. */
export const bill_download_idle_timeout_ms = 30_000;

export class PlatformTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformTimeout';
  }
}

/** `doFetch` whose answer must start within `ms`; the body is then read at its own pace (see `readWithin`). */
export async function fetchAnsweredWithin(doFetch: typeof fetch, url: URL | string, init: RequestInit, ms: number, what: string): Promise<Response> {
  const control = new AbortController();
  const timer = setTimeout(() => control.abort(new PlatformTimeout(`${what}: no answer within ${ms} ms`)), ms);
  try {
    return await doFetch(url, { ...init, signal: control.signal });
  } catch (e) {
    throw control.signal.aborted && control.signal.reason instanceof PlatformTimeout ? control.signal.reason : e;
  } finally {
    clearTimeout(timer);
  }
}

/** One read of a streamed body that must bring something within `ms`; the caller cancels the reader when it throws. */
export async function readWithin<T>(reader: ReadableStreamDefaultReader<T>, ms: number, what: string): Promise<ReadableStreamReadResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PlatformTimeout(`${what}: nothing received for ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}
