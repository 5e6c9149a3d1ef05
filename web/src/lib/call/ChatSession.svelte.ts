import { maySendChat, withoutDirectionControls, type NotificationPayload, type RoomInfo } from '@tupa/signaling/protocol';
import { RequestError } from './signalingClient.ts';

// The call's chat as this tab sees it. Messages live only in this tab's memory: the server
// passes them on and forgets them, and so does this class when the visit ends.

/** One line in the chat. */
export interface ChatLine {
  id: number;
  peerId: string;
  name: string;
  text: string;
  sentAt: number;
  /** Written by this person (in this tab or, after a resume, the same participant). */
  own: boolean;
}

/** Why the last message did not go out. */
export type ChatSendProblem = 'too-fast' | 'failed';

/** How many lines a long call keeps; older ones drop off so memory stays bounded. */
export const MAX_CHAT_LINES = 200;

export interface ChatDeps {
  /** Sends one message to the room (the server's sendChat). */
  send: (text: string) => Promise<void>;
  /** This tab's participant id, to tell its own lines from the others'. */
  selfId: () => string | null;
  /** The room as the server describes it; chat exists only where it allows it. */
  room: () => RoomInfo | null;
}

export class ChatSession {
  /** Every line received so far, oldest first. */
  lines = $state.raw<ChatLine[]>([]);
  /** Whether the chat panel is open. */
  open = $state(false);
  /** Lines from others that arrived while the panel was closed. */
  unread = $state(0);
  /** True while a message is on its way. */
  sending = $state(false);
  /** Why the last message did not go out, if it did not. */
  problem = $state<ChatSendProblem | null>(null);
  /** The latest line from someone else, for the polite screen-reader announcement. */
  latestFromOthers = $state.raw<ChatLine | null>(null);

  readonly #deps: ChatDeps;
  #nextId = 1;

  constructor(deps: ChatDeps) {
    this.#deps = deps;
  }

  /** Chat is shown only where the room has it on and no children take part (protocol/permissions.ts). */
  get available(): boolean {
    const room = this.#deps.room();
    return room !== null && maySendChat({ room }).allowed;
  }

  /** A chatMessage from the server (this person's own lines come back this way too). */
  receive(message: NotificationPayload<'chatMessage'>): void {
    const line: ChatLine = {
      id: this.#nextId++,
      peerId: message.peerId,
      name: message.displayName,
      text: message.text,
      sentAt: message.sentAt,
      own: message.peerId === this.#deps.selfId(),
    };
    const lines = [...this.lines, line];
    this.lines = lines.length > MAX_CHAT_LINES ? lines.slice(lines.length - MAX_CHAT_LINES) : lines;
    if (line.own) return;
    this.latestFromOthers = line;
    if (!this.open) this.unread++;
  }

  /** Opens or closes the panel; opening marks everything as read. */
  setOpen(open: boolean): void {
    this.open = open;
    if (open) this.unread = 0;
  }

  /**
   * Sends `text` (trimmed, without invisible direction controls; blank text is not sent). Resolves true when the server took it, so
   * the input can be emptied; false keeps the words for another try and says why in `problem`.
   */
  async send(text: string): Promise<boolean> {
    const trimmed = withoutDirectionControls(text).trim();
    if (trimmed === '' || this.sending || !this.available) return false;
    this.sending = true;
    this.problem = null;
    try {
      await this.#deps.send(trimmed);
      return true;
    } catch (error) {
      this.problem = error instanceof RequestError && error.code === 'rate-limited' ? 'too-fast' : 'failed';
      console.warn('sending a chat message failed', error);
      return false;
    } finally {
      this.sending = false;
    }
  }
}
