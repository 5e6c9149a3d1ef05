import { joined, type Handler } from './context.ts';

// Games and the drawing board: who may is the permission table's (protocol/permissions.ts) and
// the rules are the games' own (protocol/games/), both asked by games/RoomGames.ts, through which
// every change reaches the room; these only pass the request on.

export const startGame: Handler<'startGame'> = async (ctx, request) => {
  const { room, peer } = joined(ctx);
  return room.games.start(peer, request);
};

export const gameMove: Handler<'gameMove'> = async (ctx, { gameId, move }) => {
  const { room, peer } = joined(ctx);
  return room.games.move(peer, gameId, move);
};

export const rematch: Handler<'rematch'> = async (ctx, { gameId }) => {
  const { room, peer } = joined(ctx);
  return room.games.rematch(peer, gameId);
};

export const endGame: Handler<'endGame'> = async (ctx, { gameId }) => {
  const { room, peer } = joined(ctx);
  room.games.end(peer, gameId);
  return {};
};

export const startStroke: Handler<'startStroke'> = async (ctx, { gameId, ...start }) => {
  const { room, peer } = joined(ctx);
  return room.games.startStroke(peer, gameId, start);
};

export const extendStroke: Handler<'extendStroke'> = async (ctx, { gameId, key, points, done }) => {
  const { room, peer } = joined(ctx);
  room.games.extendStroke(peer, gameId, key, points, done);
  return {};
};

export const undoStroke: Handler<'undoStroke'> = async (ctx, { gameId }) => {
  const { room, peer } = joined(ctx);
  return room.games.undoStroke(peer, gameId);
};

export const clearBoard: Handler<'clearBoard'> = async (ctx, { gameId }) => {
  const { room, peer } = joined(ctx);
  room.games.clearBoard(peer, gameId);
  return {};
};
