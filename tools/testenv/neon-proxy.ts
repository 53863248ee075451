import { neonConfig } from '@neondatabase/serverless';
import { connect, type Socket } from 'node:net';
import ws, { WebSocketServer } from 'ws';

export interface NeonWsProxy {
  port: number;
  stop(): Promise<void>;
}

const PROXY_HOST = '127.0.0.1';
const PROXY_PATH = '/v2';
/** Only local databases are reachable, so the proxy cannot be used to reach elsewhere. */
const ALLOWED_TARGET_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const WS_CLOSE_TARGET_UNREACHABLE = 1011;
const WS_CLOSE_POLICY = 1008;

/**
 * Starts the WebSocket-to-TCP proxy that Neon's serverless driver speaks to:
 * each WebSocket at `/v2?address=host:port` becomes one TCP connection to that
 * Postgres, with binary messages passed through both ways unchanged.
 */
export async function startNeonWsProxy(): Promise<NeonWsProxy> {
  const server = new WebSocketServer({ host: PROXY_HOST, port: 0, path: PROXY_PATH });
  const sockets = new Set<Socket>();

  server.on('connection', (client, request) => {
    const target = parseTarget(request.url);
    if (target === undefined) {
      client.close(WS_CLOSE_POLICY, 'address must be a loopback host:port');
      return;
    }
    const tcp = connect(target.port, target.host);
    sockets.add(tcp);
    // Writes made before the TCP connection is up are buffered by the socket.
    client.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      tcp.write(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
    });
    client.on('close', () => tcp.end());
    client.on('error', () => tcp.destroy());
    tcp.on('data', (chunk) => client.send(chunk));
    tcp.on('close', () => {
      sockets.delete(tcp);
      client.close();
    });
    tcp.on('error', (error) => client.close(WS_CLOSE_TARGET_UNREACHABLE, error.message.slice(0, 100)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('neon proxy has no port');

  return {
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseTarget(url: string | undefined): { host: string; port: number } | undefined {
  const address = new URL(url ?? '/', 'http://proxy').searchParams.get('address');
  const match = address?.match(/^(.+):(\d+)$/);
  if (!match?.[1] || !match[2]) return undefined;
  const host = match[1].replace(/^\[(.*)\]$/, '$1');
  if (!ALLOWED_TARGET_HOSTS.has(host)) return undefined;
  return { host, port: Number(match[2]) };
}

/**
 * Points the Neon driver at a local proxy. Each setting is needed: the driver
 * otherwise dials Neon's own proxy over TLS and pipelines its startup messages,
 * which plain Postgres does not accept.
 */
export function configureNeonForLocal(proxyPort: number): void {
  neonConfig.webSocketConstructor = ws;
  neonConfig.wsProxy = (host, port) => `${PROXY_HOST}:${proxyPort}${PROXY_PATH}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineConnect = false;
}
