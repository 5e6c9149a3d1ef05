import { createHash, randomUUID } from 'node:crypto';
import { Op, type ModelStatic } from 'sequelize';
import { newJoinCode, newRandomId, normaliseJoinCode, RANDOM_ID_PATTERN } from '../ids.ts';
import type { InvitationModel } from '../models/schedule.ts';

export type InvitationRole = 'guest' | 'host';

export interface InvitationRecord {
  id: string;
  roomId: string;
  sessionId: string | null;
  role: InvitationRole;
  /** "Grandparent link": straight from the link to the call, large controls, nothing in the way. */
  simple: boolean;
  /** A note for staff ("Grandma Aino"), never shown to other participants. */
  label: string;
  expiresAt: Date;
  revoked: boolean;
  createdBy: string | null;
  createdAt: Date;
}

export interface InvitationRepository {
  /** A new invitation; the token and code are returned only here and stored only as hashes. */
  create(input: {
    roomId: string;
    sessionId: string | null;
    role: InvitationRole;
    simple: boolean;
    label: string;
    expiresAt: Date;
    createdBy: string | null;
  }): Promise<{ invitation: InvitationRecord; token: string; code: string }>;
  /** The invitation for a link token, if it is neither expired nor revoked. */
  findValidByToken(token: string): Promise<InvitationRecord | null>;
  /** The invitation for a typed code, if it is neither expired nor revoked. */
  findValidByCode(code: string): Promise<InvitationRecord | null>;
  listForRoom(roomId: string): Promise<InvitationRecord[]>;
  findById(id: string): Promise<InvitationRecord | null>;
  revoke(id: string): Promise<boolean>;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toRecord(row: InvitationModel): InvitationRecord {
  return {
    id: row.id,
    roomId: row.roomId,
    sessionId: row.sessionId ?? null,
    role: row.role,
    simple: row.simple,
    label: row.label,
    expiresAt: row.expiresAt,
    revoked: row.revokedAt !== null && row.revokedAt !== undefined,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt,
  };
}

export function createInvitationRepository(invitations: ModelStatic<InvitationModel>): InvitationRepository {
  const findValid = async (column: 'tokenHash' | 'codeHash', secretHash: string) => {
    const row = await invitations.findOne({
      where: { [column]: secretHash, revokedAt: null, expiresAt: { [Op.gt]: new Date() } },
    });
    return row ? toRecord(row) : null;
  };
  return {
    async create(input) {
      const token = newRandomId();
      const code = newJoinCode();
      const row = await invitations.create(
        {
          id: randomUUID(),
          ...input,
          tokenHash: hash(token),
          codeHash: hash(normaliseJoinCode(code) as string),
        },
        { returning: true },
      );
      return { invitation: toRecord(row), token, code };
    },
    async findValidByToken(token) {
      if (!RANDOM_ID_PATTERN.test(token)) return null;
      return findValid('tokenHash', hash(token));
    },
    async findValidByCode(code) {
      const normalised = normaliseJoinCode(code);
      return normalised ? findValid('codeHash', hash(normalised)) : null;
    },
    async listForRoom(roomId) {
      const rows = await invitations.findAll({ where: { roomId }, order: [['createdAt', 'DESC']] });
      return rows.map(toRecord);
    },
    async findById(id) {
      if (!UUID.test(id)) return null;
      const row = await invitations.findByPk(id);
      return row ? toRecord(row) : null;
    },
    async revoke(id) {
      if (!UUID.test(id)) return false;
      const [count] = await invitations.update({ revokedAt: new Date() }, { where: { id, revokedAt: null } });
      return count > 0;
    },
  };
}
