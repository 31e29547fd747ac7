/**
 * The socket.io rooms of the realtime hub: an audience's (`staff`, `ent:<enterpriseId>`,
 * `dept:<department>`: the alerts, readings and source lists it receives, numbered per audience),
 * and `user:<id>` / `session:<id>` (to close a revoked identity's sockets).
 */
import { scopeOf } from '../domain/access';
import type { LatestValues } from '../domain/events';
import type { Principal } from '../domain/principal';
import type { Department } from '../domain/site-register';

export const STAFF = 'staff';
export const ENT_PREFIX = 'ent:';
export const entRoom = (enterpriseId: string): string => `${ENT_PREFIX}${enterpriseId}`;
export const deptRoom = (department: Department): string => `dept:${department}`;
export const userRoom = (userId: number): string => `user:${userId}`;
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;

/** The room (and sequence) a principal belongs to. */
export const audienceOf = (p: Principal): string => {
  const scope = scopeOf(p);
  if (scope.all) return STAFF;
  return 'department' in scope ? deptRoom(scope.department) : entRoom(scope.enterpriseId || '-');
};

/** Who a source's things go to besides the staff: its enterprise, and the department overseeing it (if any). */
export interface SourceAudiences {
  enterpriseOf: (mn: string) => string | undefined;
  overseerOf?: ((mn: string) => Department | undefined) | undefined;
}

/** A batch of latest values split by room: each enterprise's room its sources', each department's room its sites'. */
export function sourceRoomsOf(batch: readonly LatestValues[], who: SourceAudiences): Map<string, LatestValues[]> {
  const byRoom = new Map<string, LatestValues[]>();
  const add = (room: string, lv: LatestValues) => byRoom.set(room, [...(byRoom.get(room) ?? []), lv]);
  for (const lv of batch) {
    const ent = who.enterpriseOf(lv.mn);
    if (ent !== undefined) add(entRoom(ent), lv);
    const dept = who.overseerOf?.(lv.mn);
    if (dept !== undefined) add(deptRoom(dept), lv);
  }
  return byRoom;
}
