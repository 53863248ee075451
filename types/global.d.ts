/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';
declare module '*.less';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    /** The platform being built; the builds replace it with a constant. */
    TARO_ENV: 'weapp' | 'alipay' | 'h5' | 'swan' | 'tt' | 'qq' | 'jd' | 'rn' | 'harmony' | 'jdrn';
    /** Origin of the API; empty means same-origin (H5). Mini-program builds need an absolute URL. */
    TARO_APP_API_BASE: string;
    /** The store a launch without a QR parameter opens. */
    TARO_APP_DEFAULT_STORE: string;
    /** Path or origin of the local payment sandbox; H5 builds only. */
    TARO_APP_SANDBOX: string;
    /** Largest bill file the phone uploads; empty means Vercel's 4.5 MB request limit (shared/bills/upload-limit.ts). */
    TARO_APP_BILL_UPLOAD_BYTES_MAX: string;
  }
}
