/**
 * An HTTP proxy in front of the run's real InfluxDB, for the tests of what a slow or refusing store
 * does to ingest: every request is passed on, except that a `/write` is answered HTTP 500 while the
 * proxy refuses (as an overloaded or failing InfluxDB does), or passed on only after `delayMs`.
 * Pings and queries always pass, so the app's /readyz still sees a store that answers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InfluxProxy {
  url: string;
  /** Writes answered 500 from now on (true), passed on (false), or the next `n` answered 500. */
  refuse(on: boolean | number): void;
  /** Each write is passed on after this many ms (0: at once). */
  delay(ms: number): void;
  /** Writes answered so far: passed on (and what InfluxDB answered) or refused. */
  readonly writes: { passed: number; refused: number };
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startInfluxProxy(target: string): Promise<InfluxProxy> {
  /** Writes still to refuse (Infinity: until told otherwise). */
  let refusing = 0;
  let delayMs = 0;
  const writes = { passed: 0, refused: 0 };
  const pass = async (req: IncomingMessage, res: ServerResponse) => {
    const isWrite = (req.url ?? '').startsWith('/write');
    const payload = await body(req);
    if (isWrite && refusing > 0) {
      refusing--;
      writes.refused++;
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"refused by the test proxy"}');
      return;
    }
    if (isWrite && delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host' && e[0] !== 'content-length',
      ),
    );
    const answer = await fetch(`${target}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(payload.length > 0 ? { body: payload } : {}),
    });
    if (isWrite) writes.passed++;
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  };
  const server = createServer((req, res) => {
    pass(req, res).catch((err: Error) => res.writeHead(502).end(err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    refuse: (on) => void (refusing = on === true ? Number.POSITIVE_INFINITY : on === false ? 0 : on),
    delay: (ms) => void (delayMs = ms),
    writes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
