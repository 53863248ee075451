import Taro from '@tarojs/taro';
import { storageKv } from './outbox-store';
import { base64ToBytes, bytesToHex, chunkBytes, toArrayBuffer } from './printer';

/**
 * Prints ESC/POS bytes on a Bluetooth (BLE) receipt printer. The first print
 * asks which device to use and remembers it with a writable characteristic.
 */

export const printer_scan_ms = 3000;
/** Cheap printers drop bytes when writes come faster than they print. */
export const printer_write_gap_ms = 20;
/** WeChat's action sheet takes at most six items. */
const printer_choices_max = 6;
const printer_key = 'guitai.printer';

interface PrinterTarget {
  deviceId: string;
  serviceId: string;
  characteristicId: string;
  name: string;
}

export const printerSupported = process.env.TARO_ENV !== 'h5';

export class PrinterError extends Error {}

function storedTarget(): PrinterTarget | null {
  const raw = storageKv.get(printer_key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as PrinterTarget;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connect(deviceId: string): Promise<void> {
  try {
    await Taro.createBLEConnection({ deviceId });
  } catch (e) {
    // -1 / 10010: already connected; anything else is a real failure.
    const code = (e as { errCode?: number; error?: number }).errCode ?? (e as { error?: number }).error;
    if (code !== -1 && code !== 10010) throw e;
  }
}

async function choosePrinter(): Promise<PrinterTarget> {
  await Taro.startBluetoothDevicesDiscovery({ allowDuplicatesKey: false });
  await sleep(printer_scan_ms);
  const { devices } = await Taro.getBluetoothDevices();
  await Taro.stopBluetoothDevicesDiscovery().catch(() => undefined);
  const named = devices.filter((d) => (d.name || d.localName) !== '').slice(0, printer_choices_max);
  if (named.length === 0) throw new PrinterError('没有找到蓝牙打印机，请打开打印机后重试');
  const { tapIndex } = await Taro.showActionSheet({ itemList: named.map((d) => d.name || d.localName) });
  const device = named[tapIndex];
  if (!device) throw new PrinterError('没有选择打印机');
  await connect(device.deviceId);
  const { services } = await Taro.getBLEDeviceServices({ deviceId: device.deviceId });
  for (const service of services) {
    const { characteristics } = await Taro.getBLEDeviceCharacteristics({ deviceId: device.deviceId, serviceId: service.uuid });
    const writable = characteristics.find((c) => c.properties.write || c.properties.writeNoResponse);
    if (writable) {
      const target = { deviceId: device.deviceId, serviceId: service.uuid, characteristicId: writable.uuid, name: device.name || device.localName };
      storageKv.set(printer_key, JSON.stringify(target));
      return target;
    }
  }
  throw new PrinterError('这台设备不能打印小票');
}

async function write(target: PrinterTarget, chunk: Uint8Array): Promise<void> {
  // Alipay's my.writeBLECharacteristicValue takes a hex string where WeChat takes an ArrayBuffer.
  const value = process.env.TARO_ENV === 'alipay' ? (bytesToHex(chunk) as unknown as ArrayBuffer) : toArrayBuffer(chunk);
  await Taro.writeBLECharacteristicValue({ deviceId: target.deviceId, serviceId: target.serviceId, characteristicId: target.characteristicId, value });
}

export async function printEscpos(base64: string): Promise<void> {
  if (!printerSupported) throw new PrinterError('浏览器无法连接蓝牙打印机');
  await Taro.openBluetoothAdapter();
  let target = storedTarget();
  if (target) await connect(target.deviceId);
  else target = await choosePrinter();
  for (const chunk of chunkBytes(base64ToBytes(base64))) {
    await write(target, chunk);
    await sleep(printer_write_gap_ms);
  }
}

/** Forget the remembered printer, so the next print asks again. */
export function forgetPrinter(): void {
  storageKv.remove(printer_key);
}
