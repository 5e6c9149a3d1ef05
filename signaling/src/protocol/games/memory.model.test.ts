import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memory as rules, withoutPlayer, type MemoryState } from './memory.ts';
import { checkDeck, PEERS, seeded, setupArb } from '../../../../tests/support/memoryGames.ts';
import { MEMORY_MISS_SHOW_MS, memoryViewSchema, type MemoryView } from './schemas.ts';

// Properties of the memory rules, checked model-based: fast-check runs random sequences of
// commands (flips by players, by a player out of turn and by onlookers, on cards that exist and
// ones that do not; the server's `settle`; a player leaving; a rematch) against the real rules and
// against a small model written here, and compares the two after every command.

const ONLOOKERS = ['onlooker-1', 'onlooker-2'];

/** The model: a card is 'down', 'up' or the index of the player who matched it. */
class Model {
  cards: ('down' | 'up' | number)[];
  scores: number[];
  turn: number | null;
  starter: number;
  gone: boolean[];
  constructor(
    readonly players: string[],
    public deck: number[],
  ) {
    this.cards = deck.map(() => 'down');
    this.scores = players.map(() => 0);
    this.turn = 0;
    this.starter = 0;
    this.gone = players.map(() => false);
  }
  up(): number[] {
    return this.cards.flatMap((card, index) => (card === 'up' ? [index] : []));
  }
  nextAfter(index: number): number {
    for (let step = 1; step <= this.players.length; step += 1) if (!this.gone[(index + step) % this.players.length]) return (index + step) % this.players.length;
    return index;
  }
  /** Applies a flip; the refusal reason, or null when accepted. */
  flip(who: string, card: number): string | null {
    if (this.turn === null) return 'game-over';
    const player = this.players.indexOf(who);
    if (player < 0 || this.gone[player]) return 'game-players-only';
    if (player !== this.turn) return 'not-your-turn';
    const up = this.up();
    if (up.length === 2) return 'wait-for-cards';
    if (this.cards[card] !== 'down') return 'illegal-move'; // undefined for a card that does not exist
    this.cards[card] = 'up';
    if (up.length === 1 && this.deck[up[0]!] === this.deck[card]) {
      this.cards[up[0]!] = player;
      this.cards[card] = player;
      this.scores[player]! += 1;
      if (this.cards.every((value) => typeof value === 'number')) this.turn = null;
    }
    return null;
  }
  settle(): void {
    if (this.up().length !== 2 || this.turn === null) return;
    for (const card of this.up()) this.cards[card] = 'down';
    this.turn = this.nextAfter(this.turn);
  }
  leave(who: string): void {
    const player = this.players.indexOf(who);
    if (player < 0 || this.gone[player]) return;
    this.gone[player] = true;
    if (this.gone[this.starter]) this.starter = this.nextAfter(this.starter);
    if (this.gone.every(Boolean)) {
      for (const card of this.up()) this.cards[card] = 'down';
    } else if (this.turn === player) {
      for (const card of this.up()) this.cards[card] = 'down';
      this.turn = this.nextAfter(player);
    }
  }
  rematch(deck: number[]): void {
    this.deck = deck;
    this.cards = deck.map(() => 'down');
    this.scores = this.players.map(() => 0);
    this.starter = this.nextAfter(this.starter);
    this.turn = this.starter;
  }
  view(): MemoryView {
    const staying = this.scores.map((score, index) => ({ score, index })).filter(({ index }) => !this.gone[index]);
    const best = Math.max(...staying.map(({ score }) => score));
    return {
      kind: 'memory',
      cards: this.cards.map((card, index) =>
        card === 'down' ? { face: 'down' } : card === 'up' ? { face: 'up', picture: this.deck[index]! } : { face: 'matched', picture: this.deck[index]!, by: card },
      ),
      scores: [...this.scores],
      turn: this.turn,
      showingMiss: this.up().length === 2,
      winners: this.turn === null ? staying.filter(({ score }) => score === best).map(({ index }) => index) : [],
    };
  }
}

interface Real {
  state: MemoryState;
  random: () => number;
}

/** What must hold after every command, whatever happened. */
function checkInvariants(model: Model, real: Real): void {
  const { state } = real;
  // Every viewer (players, onlookers, nobody in particular) gets exactly the model's view, as JSON.
  const expected = JSON.stringify(model.view());
  for (const viewer of [...model.players, ...ONLOOKERS, null]) {
    const json = JSON.stringify(rules.view(state, viewer));
    if (json !== expected) expect(json).toBe(expected);
  }
  // It fits the wire schema, and the JSON sent holds a picture for exactly the cards that are
  // face up or matched: a face-down card is nothing but `{"face":"down"}`.
  const sent = JSON.parse(expected) as MemoryView;
  expect(memoryViewSchema.parse(sent)).toEqual(sent);
  sent.cards.forEach((card, index) => {
    if (state.faceUp.includes(index) || state.matchedBy[index] !== null) expect(card).toMatchObject({ picture: state.deck[index] });
    else expect(JSON.stringify(card)).toBe('{"face":"down"}');
  });
  expect(expected.split('"picture"').length - 1).toBe(state.faceUp.length + state.matchedBy.filter((by) => by !== null).length);
  // Scores add up: each point is one matched pair; at the end every pair has been found.
  const matched = state.matchedBy.filter((by) => by !== null).length;
  expect(state.scores.reduce((sum, score) => sum + score, 0) * 2).toBe(matched);
  if (rules.isOver(state)) expect(matched).toBe(state.deck.length);
  // Waiting happens exactly while a miss is shown.
  expect(rules.pendingMs(state)).toBe(state.faceUp.length === 2 ? MEMORY_MISS_SHOW_MS : null);
  // Never stuck: unless over (or everyone has left), the server's settle or a flip by the player
  // whose turn it is moves the game on.
  if (!rules.isOver(state) && !state.left.every(Boolean) && rules.pendingMs(state) === null) {
    const someFlip = state.deck.some((_, card) => rules.move(state, state.players[state.turn!]!, { kind: 'memory', card }).ok);
    expect(someFlip).toBe(true);
  }
}

/** How often the runs reached each situation, so the test shows it explored them (checked after). */
const reached = new Map<string, number>();
const count = (what: string) => reached.set(what, (reached.get(what) ?? 0) + 1);

function applyFlip(model: Model, real: Real, who: string, card: number): void {
  const before = JSON.stringify(real.state);
  const expected = model.flip(who, card);
  const outcome = rules.move(real.state, who, { kind: 'memory', card });
  expect(outcome.ok ? null : outcome.reason).toBe(expected);
  count(outcome.ok ? (rules.isOver(outcome.state) ? 'game won' : rules.pendingMs(outcome.state) !== null ? 'miss' : 'flip accepted') : outcome.reason);
  // The state handed in is never changed, accepted or not.
  expect(JSON.stringify(real.state)).toBe(before);
  if (outcome.ok) real.state = outcome.state;
  checkInvariants(model, real);
}

class FlipCommand implements fc.Command<Model, Real> {
  constructor(
    readonly who: number,
    readonly card: number,
  ) {}
  check = () => true;
  run(model: Model, real: Real): void {
    applyFlip(model, real, [...model.players, ...ONLOOKERS][this.who % (model.players.length + ONLOOKERS.length)]!, this.card);
  }
  toString = () => `flip(${this.who}, ${this.card})`;
}

/** The player whose turn it is flips a face-down card (mostly accepted, so games get far). */
class TurnFlipCommand implements fc.Command<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.turn !== null;
  run(model: Model, real: Real): void {
    const down = model.cards.flatMap((card, index) => (card === 'down' ? [index] : []));
    applyFlip(model, real, model.players[model.turn!]!, down[this.pick % down.length] ?? 0);
  }
  toString = () => `turnFlip(${this.pick})`;
}

/** The player whose turn it is flips the partner of their face-up card: a match, so games end. */
class PartnerFlipCommand implements fc.Command<Model, Real> {
  check = (model: Readonly<Model>) => model.turn !== null && model.cards.filter((card) => card === 'up').length === 1;
  run(model: Model, real: Real): void {
    const first = model.up()[0]!;
    const partner = model.deck.findIndex((picture, index) => index !== first && picture === model.deck[first]);
    applyFlip(model, real, model.players[model.turn!]!, partner);
  }
  toString = () => 'partnerFlip';
}

/** The server's timer: settle whether or not anything waits (a late timer must be harmless). */
class SettleCommand implements fc.Command<Model, Real> {
  check = () => true;
  run(model: Model, real: Real): void {
    const waiting = rules.pendingMs(real.state) !== null;
    count(waiting ? 'miss settled' : 'late settle');
    const before = real.state;
    model.settle();
    real.state = rules.settle(real.state);
    if (!waiting) expect(real.state).toBe(before);
    checkInvariants(model, real);
  }
  toString = () => 'settle';
}

class LeaveCommand implements fc.Command<Model, Real> {
  constructor(readonly who: number) {}
  check = (model: Readonly<Model>) => model.players.length >= 3;
  run(model: Model, real: Real): void {
    const who = [...model.players, ...ONLOOKERS][this.who % (model.players.length + ONLOOKERS.length)]!;
    count(model.turn !== null && model.players[model.turn] === who ? 'left on their turn' : 'left');
    model.leave(who);
    real.state = withoutPlayer(real.state, who);
    checkInvariants(model, real);
  }
  toString = () => `leave(${this.who})`;
}

class RematchCommand implements fc.Command<Model, Real> {
  check = (model: Readonly<Model>) => model.turn === null;
  run(model: Model, real: Real): void {
    const cards = real.state.deck.length;
    count('rematch');
    real.state = rules.rematch(real.state, real.random);
    checkDeck(real.state.deck, cards);
    model.rematch([...real.state.deck]);
    expect(real.state.starter).toBe(model.starter);
    checkInvariants(model, real);
  }
  toString = () => 'rematch';
}

const commandsArb = fc.commands(
  [
    fc.record({ who: fc.nat(7), card: fc.oneof(fc.integer({ min: -1, max: 17 }), fc.constantFrom(0.5, Number.NaN, 1e9)) }).map(({ who, card }) => new FlipCommand(who, card)),
    fc.nat().map((pick) => new TurnFlipCommand(pick)),
    fc.nat().map((pick) => new TurnFlipCommand(pick)),
    fc.constant(new PartnerFlipCommand()),
    fc.constant(new PartnerFlipCommand()),
    fc.constant(new SettleCommand()),
    fc.constant(new SettleCommand()),
    fc.nat(7).map((who) => new LeaveCommand(who)),
    fc.constant(new RematchCommand()),
  ],
  { maxCommands: 200, size: 'max' },
);

describe('memory rules (model-based)', () => {
  it('from any reachable state the rules agree with the model: legal flips accepted, others refused with no change', () => {
    fc.assert(
      fc.property(setupArb, commandsArb, ({ players, cards, seed }, commands) => {
        const random = seeded(seed);
        const state = rules.start(PEERS.slice(0, players), { cards }, random);
        checkDeck(state.deck, cards);
        fc.modelRun(() => ({ model: new Model(PEERS.slice(0, players), [...state.deck]), real: { state, random } }), commands);
      }),
      { numRuns: 150 },
    );
    for (const what of ['game won', 'miss', 'flip accepted', 'miss settled', 'late settle', 'left on their turn', 'left', 'rematch']) {
      expect(reached.get(what) ?? 0, what).toBeGreaterThan(5);
    }
    for (const reason of ['game-over', 'game-players-only', 'not-your-turn', 'illegal-move', 'wait-for-cards']) {
      expect(reached.get(reason) ?? 0, reason).toBeGreaterThan(5);
    }
  });
});
