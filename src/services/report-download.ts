import Taro from '@tarojs/taro';
import type { SalesReportKind } from '../../shared/api/reports';
import type { Granularity } from './report-view';
import { getSession } from './session';
import { buildUrl } from './url';

export interface ReportQuery {
  from: string;
  to: string;
  storeId?: string;
  granularity?: Granularity;
}

function query(q: ReportQuery, extra: Record<string, string>): Record<string, string> {
  return { from: q.from, to: q.to, ...(q.storeId ? { storeId: q.storeId } : {}), ...(q.granularity ? { granularity: q.granularity } : {}), ...extra };
}

export function exportUrl(kind: SalesReportKind, q: ReportQuery, format: 'csv' | 'xlsx'): string {
  return buildUrl(process.env.TARO_APP_API_BASE ?? '', '/api/reports/sales/:report', { report: kind }, query(q, { format }));
}

export function merchantExportUrl(): string {
  return buildUrl(process.env.TARO_APP_API_BASE ?? '', '/api/exports/merchant');
}

/**
 * Downloads a file with the staff token. In the browser build it saves
 * through a link; in a mini-program it downloads to a temporary file and
 * opens it (spreadsheets) or offers to send it to a chat (CSV, zip).
 */
export async function downloadFile(url: string, fileName: string): Promise<void> {
  const token = getSession('staff')?.token ?? '';
  const header = { authorization: `Bearer ${token}` };
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(url, { headers: header });
    if (!res.ok) throw new Error(`下载失败（${res.status}）`);
    const href = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = href;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    return;
  }
  const res = await Taro.downloadFile({ url, header });
  if (res.statusCode !== 200) throw new Error(`下载失败（${res.statusCode}）`);
  if (fileName.endsWith('.xlsx')) {
    await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'xlsx', showMenu: true });
    return;
  }
  const share = (Taro as unknown as { shareFileMessage?: (o: { filePath: string; fileName: string }) => Promise<unknown> }).shareFileMessage;
  if (share) await share({ filePath: res.tempFilePath, fileName });
  else await Taro.showModal({ title: '已下载', content: `文件已保存：${fileName}`, showCancel: false });
}
