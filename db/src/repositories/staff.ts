import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Op, UniqueConstraintError, type ModelStatic } from 'sequelize';
import type { AuditEntryModel, StaffRole, StaffSessionModel, StaffUserModel } from '../models/staff.ts';

export type { StaffRole };

/** A staff account as the rest of Tupa sees it; the password hash never leaves this module's callers unasked. */
export interface StaffRecord {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  createdAt: Date;
  disabled: boolean;
}

export class DuplicateEmailError extends Error {
  override name = 'DuplicateEmailError';
}

export interface StaffRepository {
  /** Creates an account; throws DuplicateEmailError if the email is taken. */
  create(input: { email: string; displayName: string; role: StaffRole; passwordHash: string }): Promise<StaffRecord>;
  /** The account and its password hash, for login; null if none or disabled. */
  findForLogin(email: string): Promise<{ staff: StaffRecord; passwordHash: string } | null>;
  findById(id: string): Promise<StaffRecord | null>;
  list(): Promise<StaffRecord[]>;
  count(): Promise<number>;
}

export interface StaffSessionRepository {
  /** A new session; the returned id goes into the cookie and is stored only as a hash. */
  create(userId: string, ttlMs: number): Promise<{ id: string; csrfToken: string; expiresAt: Date }>;
  /** The live session for a cookie value with its account, or null (unknown, expired, disabled). */
  find(id: string): Promise<{ staff: StaffRecord; csrfToken: string; expiresAt: Date } | null>;
  delete(id: string): Promise<void>;
  deleteForUser(userId: string): Promise<void>;
  deleteExpired(): Promise<number>;
}

export interface AuditLog {
  /** Records a staff action; `target` is an id, never personal data. */
  record(actorId: string | null, action: string, target?: string): Promise<void>;
  recent(limit: number): Promise<Array<{ actorId: string | null; action: string; target: string | null; at: Date }>>;
}

/** Emails are compared without case and surrounding space. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

function toRecord(row: StaffUserModel): StaffRecord {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    createdAt: row.createdAt,
    disabled: row.disabledAt !== null && row.disabledAt !== undefined,
  };
}

export function createStaffRepository(users: ModelStatic<StaffUserModel>): StaffRepository {
  return {
    async create(input) {
      try {
        const row = await users.create(
          { id: randomUUID(), email: normaliseEmail(input.email), displayName: input.displayName, role: input.role, passwordHash: input.passwordHash },
          { returning: true },
        );
        return toRecord(row);
      } catch (error) {
        if (error instanceof UniqueConstraintError) throw new DuplicateEmailError('an account with this email exists');
        throw error;
      }
    },
    async findForLogin(email) {
      const row = await users.findOne({ where: { email: normaliseEmail(email), disabledAt: null } });
      return row ? { staff: toRecord(row), passwordHash: row.passwordHash } : null;
    },
    async findById(id) {
      const row = await users.findByPk(id);
      return row ? toRecord(row) : null;
    },
    async list() {
      const rows = await users.findAll({ order: [['displayName', 'ASC']] });
      return rows.map(toRecord);
    },
    count: () => users.count(),
  };
}

export function createStaffSessionRepository(
  sessions: ModelStatic<StaffSessionModel>,
  users: ModelStatic<StaffUserModel>,
): StaffSessionRepository {
  return {
    async create(userId, ttlMs) {
      const id = randomBytes(16).toString('base64url');
      const csrfToken = randomBytes(16).toString('base64url');
      const expiresAt = new Date(Date.now() + ttlMs);
      await sessions.create({ idHash: hashSessionId(id), userId, csrfToken, expiresAt });
      return { id, csrfToken, expiresAt };
    },
    async find(id) {
      const session = await sessions.findOne({
        where: { idHash: hashSessionId(id), expiresAt: { [Op.gt]: new Date() } },
      });
      if (!session) return null;
      const user = await users.findOne({ where: { id: session.userId, disabledAt: null } });
      if (!user) return null;
      return { staff: toRecord(user), csrfToken: session.csrfToken, expiresAt: session.expiresAt };
    },
    async delete(id) {
      await sessions.destroy({ where: { idHash: hashSessionId(id) } });
    },
    async deleteForUser(userId) {
      await sessions.destroy({ where: { userId } });
    },
    deleteExpired: () => sessions.destroy({ where: { expiresAt: { [Op.lte]: new Date() } } }),
  };
}

export function createAuditLog(audit: ModelStatic<AuditEntryModel>): AuditLog {
  return {
    async record(actorId, action, target) {
      await audit.create({ actorId, action, target: target ?? null });
    },
    async recent(limit) {
      const rows = await audit.findAll({ order: [['id', 'DESC']], limit });
      return rows.map((r) => ({ actorId: r.actorId, action: r.action, target: r.target, at: r.createdAt }));
    },
  };
}
