import { describe, expect, it } from 'vitest';
import { LoggerStatusBoard, type StatusEvent } from './status-board';

describe('logger status', () => {
  it('tracks connection, restarts and heartbeats, and tells listeners', () => {
    const events: [StatusEvent, string][] = [];
    const board = new LoggerStatusBoard((e, s) => events.push([e, s.mn]));
    board.noteFrame('A', 1, 'tcp', '10.0.0.1:1');
    board.noteRestart('A', 2, 1);
    board.noteHeartbeat('A', 3);
    board.noteFrame('B', 4, 'tcp', '10.0.0.1:1');
    board.disconnected('10.0.0.1:1');
    board.noteFrame('A', 5, 'tcp', '10.0.0.1:2');
    expect(events).toEqual([
      ['connected', 'A'],
      ['restart', 'A'],
      ['heartbeat', 'A'],
      ['connected', 'B'],
      ['disconnected', 'A'],
      ['disconnected', 'B'],
      ['connected', 'A'],
    ]);
    expect(board.get('A')).toEqual({
      mn: 'A',
      transport: 'tcp',
      peer: '10.0.0.1:2',
      connected: true,
      lastFrameAt: 5,
      lastHeartbeatAt: 3,
      lastRestartAt: 2,
      restartTime: 1,
      restarts: 1,
    });
  });

  it('a logger that moved to a new connection stays connected when the old one closes', () => {
    const board = new LoggerStatusBoard();
    board.noteFrame('A', 1, 'tcp', 'old');
    board.noteFrame('A', 2, 'tcp', 'new');
    board.disconnected('old');
    expect(board.get('A')?.connected).toBe(true);
  });

  it('an MQTT logger is never shown as connected over TCP; unknown MNs get no status', () => {
    const board = new LoggerStatusBoard();
    board.noteFrame('M', 1, 'mqtt', 'sentinel/v1/M/hj212');
    board.noteRestart('X', 1, undefined);
    expect(board.get('M')?.connected).toBe(false);
    expect(board.get('X')).toBeUndefined();
  });
});
