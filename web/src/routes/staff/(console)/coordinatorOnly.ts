import { redirect } from '@sveltejs/kit';
import type { StaffMember } from '#lib/staff/api.ts';

/** Pages only coordinators use send a host back to the overview (the server refuses them anyway). */
export function requireCoordinator(me: StaffMember): void {
  if (me.role !== 'coordinator') redirect(303, '/staff');
}
