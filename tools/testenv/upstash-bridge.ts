import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createClient, ErrorReply, MultiErrorReply, RESP_TYPES } from 'redis';
import { startRedis } from './redis.js';

export interface UpstashBridge {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export interface UpstashBridgeOptions {
  /** An existing redis to serve; without it the bridge starts its own and stops it too. */
  redisUrl?: string;
}

const BRIDGE_HOST = '127.0.0.1';
const REQUEST_BODY_BYTES_MAX = 10 * 1024 * 1024;
const TOKEN_BYTES = 24;

type Command = string[];
type Encoded = null | number | string | Encoded[];
type Settled = { value: unknown } | { error: string };

class BadRequest extends Error {}

/**
 * Serves the Upstash REST protocol over a local redis-server, so code written
 * for `@upstash/redis` runs unchanged in tests: `POST /` takes one command as
 * a JSON array, `/pipeline` and `/multi-exec` take an array of them.
 */
export async function startUpstashBridge(opts: UpstashBridgeOptions = {}): Promise<UpstashBridge> {
  const ownRedis = opts.redisUrl === undefined ? await startRedis() : undefined;
  const redisUrl = opts.redisUrl ?? ownRedis?.url ?? '';
  // RESP3 reshapes replies (maps, sets) in ways the Upstash client does not expect.
  const redis = createClient({ url: redisUrl, RESP: 2 }).withTypeMapping({
    [RESP_TYPES.BLOB_STRING]: Buffer,
  });
  redis.on('error', () => {
    // Failures surface on the commands themselves; this keeps node from crashing on them.
  });
  try {
    await redis.connect();
  } catch (error) {
    await ownRedis?.stop();
    throw error;
  }
  const token = randomBytes(TOKEN_BYTES).toString('hex');

  const scripts = new Map<string, string>();
  const execute = (command: Command): Promise<unknown> => redis.sendCommand(localScript(command, scripts));
  const executeMulti = async (commands: Command[]): Promise<Settled[]> => {
    const multi = redis.multi();
    for (const command of commands) multi.addCommand(localScript(command, scripts));
    try {
      const replies: unknown[] = await multi.exec();
      return replies.map((value) => ({ value }));
    } catch (error) {
      // Errors at run time leave the other commands applied; report each one in its place.
      if (!(error instanceof MultiErrorReply)) throw error;
      return (error.replies as unknown[]).map((value) =>
        value instanceof ErrorReply ? { error: value.message } : { value },
      );
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof BadRequest || error instanceof ErrorReply ? 400 : 500;
      reply(response, status, { error: errorMessage(error) });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.authorization !== `Bearer ${token}`) {
      reply(response, 401, { error: 'Unauthorized' });
      return;
    }
    if (request.method !== 'POST') {
      reply(response, 405, { error: 'only POST is served' });
      return;
    }
    const base64 = String(request.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const outcome = (settled: Settled) =>
      'value' in settled ? { result: encodeReply(settled.value, base64) } : settled;
    const body = await readJson(request);
    const path = new URL(request.url ?? '/', 'http://bridge').pathname.replace(/\/+$/, '');

    if (path === '') {
      reply(response, 200, { result: encodeReply(await execute(toCommand(body)), base64) });
    } else if (path === '/pipeline') {
      const settled = await Promise.all(
        toCommands(body).map((command) =>
          execute(command).then(
            (value): Settled => ({ value }),
            (error: unknown): Settled => ({ error: errorMessage(error) }),
          ),
        ),
      );
      reply(response, 200, settled.map(outcome));
    } else if (path === '/multi-exec') {
      reply(response, 200, (await executeMulti(toCommands(body))).map(outcome));
    } else {
      reply(response, 404, { error: `no such endpoint: ${path}` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, BRIDGE_HOST, resolve);
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('upstash bridge has no port');

  return {
    url: `http://${BRIDGE_HOST}:${address.port}`,
    token,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await redis.close().catch(() => redis.destroy());
      await ownRedis?.stop();
    },
  };
}

/**
 * Flags of Upstash's own Lua runtime that redis-server refuses in a script's
 * shebang (`ERR Unexpected flag in script shebang`). `@upstash/ratelimit`
 * writes `#!lua flags=allow-key-locking` on its scripts.
 */
const upstash_only_script_flags = new Set(['allow-key-locking']);

function withoutUpstashFlags(script: string): string {
  return script.replace(/^#!lua([^\n]*)/, (_line, rest: string) => {
    const flags = /flags=(\S*)/.exec(rest)?.[1];
    if (flags === undefined) return `#!lua${rest}`;
    const kept = flags.split(',').filter((f) => f !== '' && !upstash_only_script_flags.has(f));
    return `#!lua${rest.replace(/\s*flags=\S*/, kept.length > 0 ? ` flags=${kept.join(',')}` : '')}`;
  });
}

/**
 * Scripts run as Upstash would run them. A script with Upstash-only flags is
 * run without them; its SHA1 as the client computed it (over the original
 * text) is remembered, and an EVALSHA of that SHA1 runs the remembered script
 * by EVAL, since redis-server knows it under another SHA1. An EVALSHA of a
 * script the bridge has not seen goes to redis as sent, and answers NOSCRIPT
 * as Upstash would, after which the client sends EVAL.
 */
function localScript(command: Command, scripts: Map<string, string>): Command {
  const [name = '', script = '', ...rest] = command;
  const verb = name.toLowerCase();
  if (verb === 'eval' || verb === 'eval_ro') {
    const local = withoutUpstashFlags(script);
    if (local === script) return command;
    scripts.set(createHash('sha1').update(script).digest('hex'), local);
    return [name, local, ...rest];
  }
  if (verb === 'evalsha' || verb === 'evalsha_ro') {
    const local = scripts.get(script.toLowerCase());
    if (local !== undefined) return [verb === 'evalsha' ? 'EVAL' : 'EVAL_RO', local, ...rest];
  }
  return command;
}

/**
 * Upstash sends base64 for every string in a result when asked, at any depth.
 * RESP2 replies are only these shapes; anything else is a bridge bug.
 */
function encodeReply(value: unknown, base64: boolean): Encoded {
  if (value === null || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => encodeReply(item, base64));
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    return base64 ? bytes.toString('base64') : bytes.toString('utf8');
  }
  throw new Error(`unexpected redis reply: ${String(value)}`);
}

function toCommand(body: unknown): Command {
  if (!Array.isArray(body) || body.length === 0) {
    throw new BadRequest('a command is a non-empty JSON array');
  }
  return body.map((arg: unknown) => {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
    throw new BadRequest(`command arguments are strings or numbers, got ${JSON.stringify(arg)}`);
  });
}

function toCommands(body: unknown): Command[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw new BadRequest('a pipeline is a non-empty JSON array of commands');
  }
  return body.map(toCommand);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > REQUEST_BODY_BYTES_MAX) throw new BadRequest(`body over ${REQUEST_BODY_BYTES_MAX} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new BadRequest('body is not JSON');
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
