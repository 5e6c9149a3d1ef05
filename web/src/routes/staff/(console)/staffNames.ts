import { request, restApi, type StaffMember } from '#lib/staff/api.ts';

/**
 * Names of staff by id, for showing who hosts what. Only coordinators may list staff; a host
 * knows only themself, so others' names are simply left out for them.
 */
export async function staffNames(me: StaffMember, fetchFn: typeof fetch): Promise<Record<string, string>> {
  if (me.role !== 'coordinator') return { [me.id]: me.displayName };
  const { staff } = await request(restApi.listStaff, { fetchFn });
  return Object.fromEntries(staff.map((s) => [s.id, s.displayName]));
}
