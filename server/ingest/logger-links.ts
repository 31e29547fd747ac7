/**
 * What ingest tells the rest of the product about data loggers' connections (`logger:status`):
 * over MQTT, a logger's first client on the embedded broker connected / its last one closed (a
 * logger may hold more than one client id; a takeover closes the old client first); over HJ 212
 * TCP, a connection bound to its MN / closed (the status board knows which connection holds which
 * MN, so a logger that moved to a new connection is not announced offline). Bounded: only loggers
 * with an open MQTT client are counted.
 */
import type { LoggerStatusEvent } from '../domain/events';

export class LoggerLinks {
  private readonly mqttClients = new Map<string, number>();

  constructor(
    private readonly announce: (e: LoggerStatusEvent) => void,
    private readonly now: () => number,
  ) {}

  mqttOpened(mn: string): void {
    const n = (this.mqttClients.get(mn) ?? 0) + 1;
    this.mqttClients.set(mn, n);
    if (n === 1) this.announce({ mn, status: 'online', since: this.now(), via: 'mqtt' });
  }

  mqttClosed(mn: string): void {
    const n = this.mqttClients.get(mn) ?? 0;
    if (n > 1) return void this.mqttClients.set(mn, n - 1);
    if (n === 0) return;
    this.mqttClients.delete(mn);
    this.announce({ mn, status: 'offline', since: this.now(), via: 'mqtt' });
  }

  hj212(mn: string, connected: boolean): void {
    this.announce({ mn, status: connected ? 'online' : 'offline', since: this.now(), via: 'hj212' });
  }
}
