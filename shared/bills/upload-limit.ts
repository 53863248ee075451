/**
 * Vercel refuses a function request body over 4.5 MB before the API sees it
 * (FUNCTION_PAYLOAD_TOO_LARGE), so a bill larger than that cannot be uploaded
 * to a Vercel deployment; the platforms' own download has no such limit. A
 * deployment elsewhere may raise it at build time (TARO_APP_BILL_UPLOAD_BYTES_MAX).
 */
export const hosted_request_body_bytes_max = 4.5 * 1024 * 1024;

/** The limit this build uses: the build's setting when it is a positive whole number, Vercel's otherwise. */
export function billUploadBytesMax(setting: string | undefined): number {
  const n = Number(setting);
  return Number.isSafeInteger(n) && n > 0 ? n : hosted_request_body_bytes_max;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** What the owner reads when a bill is over the limit: the sizes, and what to do instead. */
export function billTooLargeMessage(bytes: number | undefined, max: number): string {
  const size = bytes === undefined ? '账单文件' : `账单文件 ${megabytes(bytes)}`;
  return `${size}超过上传上限 ${megabytes(max)}（bill_upload_bytes_max）。请用上面的「下载并对账」从平台直接下载这一天的账单，不受这个大小限制。`;
}
