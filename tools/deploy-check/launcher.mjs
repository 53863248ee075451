/**
 * Plays Vercel's Node launcher for the built function, with plain Node and
 * no TypeScript loader: it imports the handler named in `.vc-config.json`
 * exactly as Node resolves it on Vercel, then serves HTTP by turning each
 * request into a web `Request` and calling the exported method handler
 * (`GET`, `POST`, …), which is the handler shape the function declares.
 *
 *   node launcher.mjs <path to index.func> <port>
 *
 * Prints one JSON line `{"listening":port,"importMs":…}` once it serves, or
 * `{"loadError":…}` and exits 1 when the function does not load.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [funcDir, portText] = process.argv.slice(2);
const config = JSON.parse(readFileSync(join(funcDir, '.vc-config.json'), 'utf8'));
const started = performance.now();
let handlers;
try {
  handlers = await import(pathToFileURL(join(funcDir, config.handler)).href);
} catch (error) {
  console.log(JSON.stringify({ loadError: error instanceof Error ? `${error.code ?? ''} ${error.message}` : String(error) }));
  process.exit(1);
}
const importMs = performance.now() - started;

const server = createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const handler = handlers[req.method ?? 'GET'];
    if (typeof handler !== 'function') {
      res.writeHead(405).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, ...(body && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}) });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`launcher: ${error instanceof Error ? error.message : String(error)}`);
  }
});
server.listen(Number(portText), '127.0.0.1', () => console.log(JSON.stringify({ listening: Number(portText), importMs: Math.round(importMs) })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
