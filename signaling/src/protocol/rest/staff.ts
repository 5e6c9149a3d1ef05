import { z } from 'zod';
import { oneLineText } from '../textFields.ts';
import { endpoint } from './endpoint.ts';

/** Coordinators run everything; hosts run the sessions they are assigned to. */
export const STAFF_ROLES = ['coordinator', 'host'] as const;
export const staffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof staffRoleSchema>;

/** How long a new password must be, and may be (characters). */
export const PASSWORD_LENGTH = { min: 10, max: 200 } as const;

const email = z.string().trim().min(3).max(254).pipe(z.email());
const newPassword = z.string().min(PASSWORD_LENGTH.min).max(PASSWORD_LENGTH.max);
const staffDisplayName = oneLineText({ min: 1, max: 80 });

/** A staff member as the browser learns about them: never their password or sessions. */
export const staffMemberSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: staffRoleSchema,
});
export type StaffMember = z.input<typeof staffMemberSchema>;

/** An account as coordinators list them. */
export const staffAccountSchema = staffMemberSchema.extend({ disabled: z.boolean() });
export type StaffAccount = z.input<typeof staffAccountSchema>;

/** The signed-in staff member, and the token every change must carry (`X-CSRF-Token`). */
const signedInSchema = z.object({ staff: staffMemberSchema, csrfToken: z.string() });

export const loginSchema = z.object({ email, password: z.string().min(1).max(PASSWORD_LENGTH.max) });
/** The first coordinator, made on a fresh install (no account yet). */
export const setupSchema = z.object({ email, displayName: staffDisplayName, password: newPassword });
export const newStaffSchema = z.object({ email, displayName: staffDisplayName, role: staffRoleSchema, password: newPassword });

export const staffEndpoints = {
  login: endpoint({ method: 'POST', path: '/api/auth/login', status: 200, body: loginSchema, response: signedInSchema }),
  logout: endpoint({ method: 'POST', path: '/api/auth/logout', status: 204 }),
  me: endpoint({ method: 'GET', path: '/api/auth/me', status: 200, response: signedInSchema }),
  /** Whether the one-time setup is still open (no account exists yet). */
  setupStatus: endpoint({ method: 'GET', path: '/api/auth/setup', status: 200, response: z.object({ open: z.boolean() }) }),
  setup: endpoint({ method: 'POST', path: '/api/auth/setup', status: 201, body: setupSchema, response: signedInSchema }),
  /** Coordinators: every account. */
  listStaff: endpoint({
    method: 'GET',
    path: '/api/staff',
    status: 200,
    response: z.object({ staff: z.array(staffAccountSchema) }),
  }),
  /** Coordinators: a new host or coordinator. */
  createStaff: endpoint({
    method: 'POST',
    path: '/api/staff',
    status: 201,
    body: newStaffSchema,
    response: z.object({ staff: staffMemberSchema }),
  }),
};
