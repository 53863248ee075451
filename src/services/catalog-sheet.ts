import { catalogImportResponse, type CatalogImportResponse } from '../../shared/api/catalog-import';
import { catalog_import_bytes_max } from '../../shared/catalog/sheet';
import { newId } from '../../shared/ids';
import { badResponseError, parseErrorResponse } from './errors';
import { pickDeviceFile, postRaw } from './device-file';
import { getSession } from './session';
import { buildUrl } from './url';

/** The catalog sheet on the phone: the template and export to download, a file to pick and send for a dry run, then the import. */

const base = () => process.env.TARO_APP_API_BASE ?? '';

export const templateUrl = () => buildUrl(base(), '/api/catalog/template');
export const catalogExportUrl = (format: 'xlsx' | 'csv') => buildUrl(base(), '/api/catalog/export', {}, { format });

/** A sheet chosen on this device: its name and bytes, with the import id made once for it, so a retry of 导入 is the same import. */
export interface ChosenSheet {
  name: string;
  body: Blob | ArrayBuffer;
  importId: string;
}

/** The browser and the WeChat mini-program (a file from a chat) can pick a file; Alipay's mini-program has no such picker. */
export function canPickSheet(): boolean {
  return process.env.TARO_ENV === 'h5' || process.env.TARO_ENV === 'weapp';
}

function tooLarge(bytes: number): Error {
  return new Error(`文件 ${(bytes / 1024 / 1024).toFixed(1)} MB，超过 ${catalog_import_bytes_max / 1024 / 1024} MB 上限（catalog_import_bytes_max）`);
}

export async function pickSheet(): Promise<ChosenSheet | null> {
  const file = await pickDeviceFile({
    accept: '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv',
    extensions: ['xlsx', 'csv'],
    checkSize: (bytes) => {
      if (bytes > catalog_import_bytes_max) throw tooLarge(bytes);
    },
  });
  return file && { ...file, importId: newId('catalogImport') };
}

/**
 * Sends the sheet: a dry run unless `apply`; the answer lists every problem.
 * `storeId` is where the file's opening stock goes. Errors carry the API's
 * per-row fields.
 */
export async function sendSheet(sheet: ChosenSheet, options: { apply: boolean; acceptBelowCost: boolean; storeId?: string | undefined }): Promise<CatalogImportResponse> {
  const token = getSession('staff')?.token ?? '';
  const url = buildUrl(
    base(),
    '/api/catalog/imports',
    {},
    { importId: sheet.importId, ...(options.apply ? { apply: 'true' } : {}), ...(options.acceptBelowCost ? { acceptBelowCost: 'true' } : {}), ...(options.storeId ? { storeId: options.storeId } : {}) },
  );
  const { status, body } = await postRaw(url, sheet.body, sheet.name.endsWith('.csv') ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', token);
  if (status < 200 || status >= 300) throw parseErrorResponse(status, body);
  const parsed = catalogImportResponse.safeParse(body);
  if (!parsed.success) throw badResponseError(status);
  return parsed.data;
}
