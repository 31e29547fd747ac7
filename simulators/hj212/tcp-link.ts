/** A simulated logger's TCP connection to the HJ 212 listener (one per logger, or shared). */
import { connect, type Socket } from 'node:net';
import type { Hj212Link } from './hj212-publisher';
import type { ReplyTracker } from './reply-tracker';

export async function tcpLink(host: string, port: number, tracker: ReplyTracker, closeTimeoutMs = 5_000): Promise<Hj212Link> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host, port, noDelay: true }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
  let closed = false;
  socket.on('data', (chunk) => tracker.receive(chunk));
  socket.on('error', () => undefined); // a reset shows as failed writes and missing replies
  socket.on('close', () => (closed = true));
  return {
    async write(_mn, bytes) {
      if (closed) throw new Error('connection closed');
      if (!socket.write(bytes)) await new Promise<void>((resolve) => socket.once('drain', resolve));
      // Let each write leave as its own segment (split-chunk faults), as a slow logger's would.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async close() {
      const deadline = Date.now() + closeTimeoutMs;
      while (tracker.pending > 0 && Date.now() < deadline && !closed) await new Promise((r) => setTimeout(r, 20));
      socket.end();
      await new Promise<void>((resolve) => {
        if (closed) return resolve();
        const timer = setTimeout(() => (socket.destroy(), resolve()), 1_000);
        socket.once('close', () => (clearTimeout(timer), resolve()));
      });
    },
  };
}
