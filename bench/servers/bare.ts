import { createServer } from 'node:http';

/**
 * The floor: node:http answering a fixed JSON body of the same size as the
 * real response, with no routing, no database and no serialisation.
 */
const body = Buffer.from(process.env.BARE_BODY ?? '{"ok":true}');
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ url: `http://127.0.0.1:${address.port}` });
});
process.on('disconnect', () => process.exit(0));
