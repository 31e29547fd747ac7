/**
 * A small client for the InfluxDB v1 HTTP API (`/write`, `/query`), served by InfluxDB 1.x, by 2.x
 * (v1 compatibility, token auth) and by 3.x. Written here rather than taken from the `influx`
 * package: that client, after one HTTP 500, takes its only host out of use for up to 10 s and
 * fails every write meanwhile. Here every call is independent; retrying is the BatchWriter's job,
 * and errors say whether a retry can help.
 */
import { PermanentWriteError } from '../telemetry-store';

export interface InfluxHttpOptions {
  url: string;
  db: string;
  token?: string;
  username?: string;
  password?: string;
  timeoutMs: number;
}

/** A failure that may pass: network error, timeout, 5xx, 429, auth or missing database. */
export class InfluxUnavailableError extends Error {
  override readonly name = 'InfluxUnavailableError';
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

interface QueryResponse {
  results?: { statement_id: number; series?: InfluxSeries[]; error?: string }[];
  error?: string;
}

export class InfluxHttp {
  private readonly base: string;
  /**
   * `accept-encoding: identity`: fetch would ask for gzip, and InfluxDB would compress every query
   * answer only for this process to inflate it again, on the main thread. Measured at a province's
   * scale, that inflating took a tenth of the server's CPU; InfluxDB sits next to the server, where
   * the bytes cost less than the CPU.
   */
  private readonly headers: Record<string, string> = { 'accept-encoding': 'identity' };

  constructor(private readonly opts: InfluxHttpOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    if (opts.token) this.headers.authorization = `Token ${opts.token}`;
    else if (opts.username) {
      this.headers.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
    }
  }

  /** Writes line protocol (ms precision) into the given retention policy (null: the database's default). */
  async write(body: string | Buffer, rp: string | null = null): Promise<void> {
    const policy = rp === null ? '' : `&rp=${encodeURIComponent(rp)}`;
    const url = `${this.base}/write?db=${encodeURIComponent(this.opts.db)}${policy}&precision=ms`;
    // A Buffer body: fetch would otherwise rescan a multi-megabyte string (toUSVString).
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const res = await this.request(url, {
      method: 'POST',
      body: bytes,
      headers: { ...this.headers, 'content-type': 'text/plain; charset=utf-8' },
    });
    if (res.status === 204 || res.status === 200) {
      await res.arrayBuffer();
      return;
    }
    const text = await res.text();
    if (res.status === 400 || res.status === 413)
      throw new PermanentWriteError(`InfluxDB refused the write (${res.status}): ${text.slice(0, 500)}`);
    throw new InfluxUnavailableError(`InfluxDB write failed (${res.status}): ${text.slice(0, 500)}`);
  }

  /** Runs InfluxQL; returns the series of each statement. Times come back as epoch ms. */
  async query(q: string, method: 'GET' | 'POST' = 'GET'): Promise<InfluxSeries[][]> {
    const params = new URLSearchParams({ db: this.opts.db, q, epoch: 'ms' });
    const res =
      method === 'GET'
        ? await this.request(`${this.base}/query?${params}`, { method, headers: this.headers })
        : await this.request(`${this.base}/query`, {
            method,
            body: params,
            headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
          });
    const text = await res.text();
    if (res.status >= 500 || res.status === 429 || res.status === 401 || res.status === 403) {
      throw new InfluxUnavailableError(`InfluxDB query failed (${res.status}): ${text.slice(0, 500)}`);
    }
    const json = JSON.parse(text) as QueryResponse;
    const error = json.error ?? json.results?.find((r) => r.error)?.error;
    if (error) throw new Error(`InfluxQL error: ${error} (query: ${q.slice(0, 200)})`);
    return (json.results ?? []).map((r) => r.series ?? []);
  }

  /** True when the server answers /ping. */
  async ping(): Promise<boolean> {
    try {
      const res = await this.request(`${this.base}/ping`, { method: 'GET', headers: this.headers });
      await res.arrayBuffer();
      return res.status === 204 || res.status === 200;
    } catch {
      return false;
    }
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs) });
    } catch (err) {
      throw new InfluxUnavailableError(`InfluxDB unreachable at ${this.base}: ${(err as Error).message}`, { cause: err });
    }
  }
}
