import { z } from 'zod';
import { roleSchema } from '../requests.ts';
import { oneLineText } from '../textFields.ts';
import { endpoint, isoInstant } from './endpoint.ts';
import { roomKindSchema, roomLanguageSchema } from './rooms.ts';

/** The longest any invitation works: three months, so a forgotten link does not open a room for ever. */
export const MAX_INVITATION_HOURS = 24 * 90;

/** A new invitation into a room, as the staff console asks for it. */
export const newInvitationSchema = z.object({
  role: roleSchema.default('guest'),
  /** The "grandparent link": as few decisions as possible, everything big. */
  simple: z.boolean().default(false),
  label: oneLineText({ max: 80 }).default(''),
  sessionId: z.uuid().optional(),
  /**
   * Hours the link works at most (default two weeks; for a session three months); a session's
   * link ends with the session's last meeting when that comes first.
   */
  validHours: z.number().int().min(1).max(MAX_INVITATION_HOURS).optional(),
});

/** An invitation as staff see it once made: its link and code are never stored, so never shown again. */
export const issuedInvitationSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  sessionId: z.string().nullable(),
  role: roleSchema,
  simple: z.boolean(),
  label: z.string(),
  expiresAt: isoInstant,
  revoked: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: isoInstant,
});
export type IssuedInvitation = z.input<typeof issuedInvitationSchema>;

/** A fresh invitation: the only moment its link and code exist outside the guest's hands. */
export const createdInvitationSchema = z.object({
  invitation: issuedInvitationSchema,
  token: z.string(),
  code: z.string(),
  url: z.string(),
});
export type CreatedInvitation = z.input<typeof createdInvitationSchema>;

/**
 * What a person holding an invitation may know before joining: the room's name, kind, language
 * and ground rules, whether this is a simple (grandparent) link, and the session's next meeting
 * (with `open`: whether guests may come in now, by the server's clock). Nothing about others.
 */
export const invitationInfoSchema = z.object({
  room: z.object({ name: z.string(), kind: roomKindSchema, language: roomLanguageSchema, groundRules: z.string() }),
  role: roleSchema,
  simple: z.boolean(),
  expiresAt: isoInstant,
  session: z
    .object({ title: z.string(), startsAt: isoInstant, endsAt: isoInstant, open: z.boolean() })
    .nullable(),
});
export type InvitationInfo = z.input<typeof invitationInfoSchema>;

export const invitationEndpoints = {
  /** Staff: the room's invitations (never their links or codes). */
  listInvitations: endpoint({
    method: 'GET',
    path: '/api/admin/rooms/:roomId/invitations',
    status: 200,
    response: z.object({ invitations: z.array(issuedInvitationSchema) }),
  }),
  /** Staff: a new invitation; a host may invite guests only. */
  createInvitation: endpoint({
    method: 'POST',
    path: '/api/admin/rooms/:roomId/invitations',
    status: 201,
    body: newInvitationSchema,
    response: createdInvitationSchema,
  }),
  revokeInvitation: endpoint({ method: 'POST', path: '/api/admin/rooms/:roomId/invitations/:invitationId/revoke', status: 204 }),
  /** Anyone holding a link: where it leads. */
  describeInvitation: endpoint({ method: 'GET', path: '/api/invitations/:token', status: 200, response: invitationInfoSchema }),
  /** Anyone with a typed code: where it leads (the code itself is what joins). 429 while wrong codes are paid for. */
  lookUpCode: endpoint({
    method: 'POST',
    path: '/api/invitations/by-code',
    status: 200,
    body: z.object({ code: z.string().max(40) }),
    response: invitationInfoSchema,
  }),
};
