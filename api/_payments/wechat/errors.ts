import { AppError } from '../../_kernel/errors.js';

/** A call WeChat Pay refused or whose outcome is unknown: `AppError('platform_error')`, as the Alipay adapter throws, with WeChat's own code. */
export class WechatPayError extends AppError {
  constructor(
    /** HTTP status of the answer; 0 when there was none (network) or it could not be trusted. */
    readonly httpStatus: number,
    /** WeChat Pay's `code` (e.g. `ORDERPAID`), or ours: `network`, `response_unverified`, `bad_response`. */
    readonly platformCode: string,
    message: string,
  ) {
    super('platform_error', message);
    this.name = 'WechatPayError';
  }
}
