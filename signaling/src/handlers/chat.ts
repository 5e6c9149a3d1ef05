import { sendChat as send } from '../chat.ts';
import { joined, type Handler } from './context.ts';

export const sendChat: Handler<'sendChat'> = async (ctx, { text }) => {
  const { room, peer } = joined(ctx);
  send(room, peer, text);
  return {};
};
