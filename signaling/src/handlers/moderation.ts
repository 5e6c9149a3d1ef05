import { assertAllowed } from '../errors.ts';
import {
  lowerHand as lowerHandOf,
  muteParticipant as mute,
  removeParticipant as remove,
  setHandRaised,
  stopParticipantVideo as stopVideo,
} from '../moderation.ts';
import { mayAdmitFromLobby, mayDenyFromLobby, mayEndSession, mayRaiseHand, maySetRoomLocked } from '../protocol/index.ts';
import { joined, type Handler } from './context.ts';

// Host actions: who may is asked of the permission table (protocol/permissions.ts), here or in
// moderation.ts, with the role the server gave; never trusted from the client.

export const admitFromLobby: Handler<'admitFromLobby'> = async (ctx, { guestId }) => {
  const { room, peer } = joined(ctx);
  assertAllowed(mayAdmitFromLobby({ actor: peer }));
  return { admitted: room.admit(guestId, ctx.deps.iceServersFor) };
};

export const denyFromLobby: Handler<'denyFromLobby'> = async (ctx, { guestId }) => {
  const { room, peer } = joined(ctx);
  assertAllowed(mayDenyFromLobby({ actor: peer }));
  return { denied: room.deny(guestId) };
};

export const muteParticipant: Handler<'muteParticipant'> = async (ctx, { peerId }) => {
  const { room, peer } = joined(ctx);
  await mute(room, peer, peerId);
  return {};
};

export const stopParticipantVideo: Handler<'stopParticipantVideo'> = async (ctx, { peerId }) => {
  const { room, peer } = joined(ctx);
  await stopVideo(room, peer, peerId);
  return {};
};

export const removeParticipant: Handler<'removeParticipant'> = async (ctx, { peerId }) => {
  const { room, peer } = joined(ctx);
  remove(room, peer, peerId);
  return {};
};

export const setRoomLocked: Handler<'setRoomLocked'> = async (ctx, { locked }) => {
  const { room, peer } = joined(ctx);
  assertAllowed(maySetRoomLocked({ actor: peer }));
  room.setLocked(locked);
  return {};
};

export const endSession: Handler<'endSession'> = async (ctx) => {
  const { room, peer } = joined(ctx);
  assertAllowed(mayEndSession({ actor: peer }));
  // Closing the room releases every connection in it, this one too.
  room.close('session-ended');
  return {};
};

export const raiseHand: Handler<'raiseHand'> = async (ctx, { raised }) => {
  const { room, peer } = joined(ctx);
  assertAllowed(mayRaiseHand({ actor: peer }));
  setHandRaised(room, peer, raised);
  return {};
};

export const lowerHand: Handler<'lowerHand'> = async (ctx, { peerId }) => {
  const { room, peer } = joined(ctx);
  lowerHandOf(room, peer, peerId);
  return {};
};
