import type { GameKind } from '@tupa/signaling/protocol';
import type { MessageKey } from '../i18n/languages.ts';
import type { GameNote } from './GameSession.svelte.ts';

/** Each game's name and its words for whoever reads (a grandparent, a screen reader). */
export const GAME_NAMES: Readonly<Record<GameKind, { name: MessageKey; hint: MessageKey }>> = {
  'noughts-and-crosses': { name: 'games.noughts', hint: 'games.noughtsHint' },
  memory: { name: 'games.memory', hint: 'games.memoryHint' },
  drawing: { name: 'games.drawing', hint: 'games.drawingHint' },
};

type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/**
 * The short words for why a request did not work: "Wait a moment: it is Mummi's turn." for a
 * move out of turn (`turnName`: whose turn it is, when someone's), a plain "try again" for
 * anything the screen cannot explain better. `kind` is the game shown, if any: a refused move
 * in memory is a card already face up, in noughts and crosses a square already taken.
 */
export function noteText(note: GameNote, t: Translate, turnName: string | null, kind?: GameKind): string {
  switch (note.reason) {
    case 'not-your-turn':
      return turnName ? t('games.note.notYourTurn', { name: turnName }) : t('games.note.notYourTurnNobody');
    case 'game-players-only':
      return t('games.note.playersOnly');
    case 'illegal-move':
      return kind === 'memory' ? t('games.note.cardTurned') : t('games.note.illegal');
    case 'wait-for-cards':
      return t('games.note.wait');
    case 'game-over':
      return t('games.note.over');
    case 'game-none':
      return t('games.note.none');
    case 'game-players-invalid':
      return t('games.note.players');
    case 'game-lead-only':
      return t('games.note.leadOnly');
    case 'game-not-allowed':
      return t('games.note.notAllowed');
    default:
      return t('games.note.failed');
  }
}
