import type {
  BookLanguage,
  BookSource,
  InvitationRole,
  Recurrence,
  RoomKind as StoredRoomKind,
  RoomSettings as StoredRoomSettings,
  StaffRole as StoredStaffRole,
} from '@tupa/db';
import type { BookView, RoomKind, RoomSettings, Role, ScheduledSession, StaffRole } from '@tupa/signaling/protocol';

// db imports no other Tupa package, so it cannot take its types from the protocol: it keeps its
// columns' own types, and this file stops the build when they and the protocol's drift apart (a
// room kind added to one but not the other, a language, a setting).

/** True when A and B are the same type (neither has a member the other lacks). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;

export type DbAgreesWithProtocol = [
  Holds<Same<StoredRoomKind, RoomKind>>,
  Holds<Same<StoredRoomSettings, RoomSettings>>,
  Holds<Same<BookLanguage, BookView['language']>>,
  Holds<Same<BookSource, BookView['source']>>,
  Holds<Same<InvitationRole, Role>>,
  Holds<Same<Recurrence, ScheduledSession['recurrence']>>,
  Holds<Same<StoredStaffRole, StaffRole>>,
];
