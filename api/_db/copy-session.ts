import type { Kysely } from 'kysely';
import type { Writable } from 'node:stream';
import type { DB } from './schema.js';

/** A COPY … FROM STDIN in progress: text-format rows go in as they are made, never the whole input at once. */
export interface CopyIn {
  /** Resolves when the connection can take more (backpressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the input; resolves with the rows the server stored. */
  end(): Promise<number>;
  /** Abandons the COPY (the server discards it) and waits until the connection is usable again. */
  abort(reason: Error): Promise<void>;
}

/** One pooled connection held for a piece of work: queries through `db` and COPY through `copyIn` share its transaction. */
export interface DbSession {
  db: Kysely<DB>;
  copyIn(statement: string): CopyIn;
}

export type WithSession = <T>(work: (session: DbSession) => Promise<T>) => Promise<T>;

interface RawClient {
  query(...args: unknown[]): unknown;
  release(destroy?: boolean | Error): void;
}
interface RawPool {
  connect(): Promise<RawClient>;
}

/**
 * Sessions over a pg or Neon Pool (Neon's client is pg's, so pg-copy-streams
 * speaks through its WebSocket too). Kysely gets a pool of exactly this one
 * client, whose release is a no-op until the work is over; a session whose
 * work failed is closed rather than returned, since a COPY may have been cut.
 */
export function sessionsOf(pool: RawPool): WithSession {
  return async (work) => {
    const [{ from: copyFrom }, { Kysely, PostgresDialect }] = await Promise.all([import('pg-copy-streams'), import('kysely')]);
    const client = await pool.connect();
    const single = { query: client.query.bind(client), release: () => {} };
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: { connect: async () => single, end: async () => {} } as never }) });
    let failed: Error | undefined;
    try {
      return await work({ db, copyIn: (statement) => copyInOf(client.query(copyFrom(statement)) as Writable) });
    } catch (e) {
      failed = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      client.release(failed);
    }
  };
}

function copyInOf(stream: Writable): CopyIn {
  let error: Error | null = null;
  stream.on('error', (e) => {
    error ??= e;
  });
  // Settles on the first of `event` or an error, so a server that refused a row never leaves a write waiting.
  const once = (event: 'drain' | 'finish' | 'close') =>
    new Promise<void>((resolve, reject) => {
      if (error) return reject(error);
      const onEvent = () => {
        stream.off('error', onError);
        resolve();
      };
      const onError = (e: Error) => {
        stream.off(event, onEvent);
        reject(e);
      };
      stream.once(event, onEvent);
      stream.once('error', onError);
    });
  return {
    async write(chunk) {
      if (error) throw error;
      if (!stream.write(chunk)) await once('drain');
    },
    async end() {
      const done = once('finish');
      stream.end();
      await done;
      return (stream as unknown as { rowCount: number }).rowCount;
    },
    async abort(reason) {
      if (stream.destroyed) return;
      const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
      stream.destroy(reason);
      await closed;
    },
  };
}
