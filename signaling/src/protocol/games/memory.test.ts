import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dealDeck, memory as rules, shuffled, withoutPlayer, type MemoryState } from './memory.ts';
import { MEMORY_MISS_SHOW_MS, MEMORY_PICTURE_COUNT, memoryViewSchema, type MemoryView } from './schemas.ts';

// Properties of the memory rules, checked model-based: fast-check runs random sequences of
// commands (flips by players, by a player out of turn and by onlookers, on cards that exist and
// ones that do not; the server's `settle`; a player leaving; a rematch) against the real rules and
// against a small model written here, and compares the two after every command.

/** A seeded source for `random`, so a failing case replays exactly (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PEERS = ['peer-a', 'peer-b', 'peer-c', 'peer-d'];
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

/** The deck must be pairs of different pictures from the set. */
function checkDeck(deck: readonly number[], cards: number): void {
  expect(deck).toHaveLength(cards);
  const counts = new Map<number, number>();
  for (const picture of deck) counts.set(picture, (counts.get(picture) ?? 0) + 1);
  expect(counts.size).toBe(cards / 2);
  for (const [picture, count] of counts) {
    expect(Number.isInteger(picture) && picture >= 0 && picture < MEMORY_PICTURE_COUNT).toBe(true);
    expect(count).toBe(2);
  }
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

const setupArb = fc.record({ players: fc.integer({ min: 2, max: 4 }), cards: fc.constantFrom(8 as const, 12 as const, 16 as const), seed: fc.integer() });

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

/**
 * Plays to the end from `state` as players who remember every picture they have seen (and only
 * what a view shows), counting flips and settles.
 *
 * Bound: with p pairs unmatched, each turn ends in a match (at most p of them) or a miss. This
 * player flips a known pair if there is one (a match); otherwise an unseen card X, then X's
 * partner if it has been seen (a match), otherwise another unseen card Y. A miss therefore needs
 * X, Y and both their partners unseen and makes X and Y seen, so from a fresh deal (2p unseen)
 * there are at most p - 1 misses: at most 2p - 1 turns, 4p - 2 flips, p - 1 settles. From any
 * reachable state one more miss may be in progress (a card already up, or a miss being shown),
 * so at most 4p + 2 flips and p + 1 settles. Every game can thus be finished, and quickly.
 */
function playToEnd(start: MemoryState): { state: MemoryState; flips: number; settles: number } {
  let state = start;
  let flips = 0;
  let settles = 0;
  const seen = new Map<number, number>();
  const look = () => rules.view(state, null).cards.forEach((card, index) => card.face === 'up' && seen.set(index, card.picture));
  const flip = (card: number) => {
    const outcome = rules.move(state, state.players[state.turn!]!, { kind: 'memory', card });
    if (!outcome.ok) throw new Error(`flip of ${card} refused: ${outcome.reason}`);
    state = outcome.state;
    flips += 1;
    look();
  };
  look();
  while (!rules.isOver(state)) {
    if (flips + settles > 1000) throw new Error('the game did not end');
    const view = rules.view(state, null);
    if (view.showingMiss) {
      state = rules.settle(state);
      settles += 1;
      continue;
    }
    const inPlay = (card: number) => view.cards[card]!.face !== 'matched';
    const down = view.cards.flatMap((card, index) => (card.face === 'down' ? [index] : []));
    const unseen = down.filter((card) => !seen.has(card));
    const partnerOf = (card: number) => down.find((other) => other !== card && seen.get(other) === seen.get(card));
    const up = view.cards.findIndex((card) => card.face === 'up');
    if (up >= 0) {
      flip(partnerOf(up) ?? unseen[0]!);
      continue;
    }
    const knownPair = down.find((card) => seen.has(card) && inPlay(card) && partnerOf(card) !== undefined);
    flip(knownPair ?? unseen[0]!);
  }
  return { state, flips, settles };
}

describe('memory rules (every game ends)', () => {
  it('from any reachable state, players who remember what they saw finish within the bound', () => {
    fc.assert(
      fc.property(setupArb, fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 60 }), ({ players, cards, seed }, steps) => {
        let state = rules.start(PEERS.slice(0, players), { cards }, seeded(seed));
        const fresh = playToEnd(state);
        expect(fresh.flips).toBeLessThanOrEqual(4 * (cards / 2) - 2);
        expect(fresh.settles).toBeLessThanOrEqual(cards / 2 - 1);
        // Reach a random state by random accepted flips and settles, then finish from there.
        for (const [pick, settle] of steps) {
          if (rules.isOver(state)) break;
          if (settle || rules.pendingMs(state) !== null) {
            state = rules.settle(state);
            continue;
          }
          const legal = state.deck.flatMap((_, card) => (rules.move(state, state.players[state.turn!]!, { kind: 'memory', card }).ok ? [card] : []));
          const outcome = rules.move(state, state.players[state.turn!]!, { kind: 'memory', card: legal[pick % legal.length]! });
          if (outcome.ok) state = outcome.state;
        }
        const pairs = state.matchedBy.filter((by) => by === null).length / 2;
        const rest = playToEnd(state);
        expect(rest.flips).toBeLessThanOrEqual(4 * pairs + 2);
        expect(rest.settles).toBeLessThanOrEqual(pairs + 1);
        expect(rest.state.scores.reduce((sum, score) => sum + score, 0)).toBe(cards / 2);
      }),
      { numRuns: 200 },
    );
  });
});

describe('memory rules (dealing)', () => {
  it('deals pairs of different pictures from the set, for every card count and any random source', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, 12, 16), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1 }), (cards, values) => {
        let i = 0;
        checkDeck(dealDeck(cards, () => values[i++ % values.length]!), cards);
      }),
    );
  });

  it('shuffles into every order (Fisher-Yates)', () => {
    const random = seeded(7);
    const orders = new Set<string>();
    for (let round = 0; round < 200; round += 1) orders.add(shuffled(['a', 'b', 'c'], random).join(''));
    expect([...orders].sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
  });
});

describe('memory rules (examples)', () => {
  /** A game of 8 cards for two, and where each picture lies. */
  function newGame() {
    const state = rules.start(['grandma', 'child'], { cards: 8 }, seeded(1));
    const pairsOf = new Map<number, number[]>();
    state.deck.forEach((picture, card) => pairsOf.set(picture, [...(pairsOf.get(picture) ?? []), card]));
    return { state, pairs: [...pairsOf.values()] };
  }
  function flip(state: MemoryState, who: string, card: number): MemoryState {
    const outcome = rules.move(state, who, { kind: 'memory', card });
    if (!outcome.ok) throw new Error(`${who} could not flip ${card}: ${outcome.reason}`);
    return outcome.state;
  }

  it('a pair found stays face up and the finder goes again, to a win', () => {
    const { state: start, pairs } = newGame();
    // Grandma finds the first pair and goes again; she misses, the child gets the other three.
    let state = flip(flip(start, 'grandma', pairs[0]![0]!), 'grandma', pairs[0]![1]!);
    expect(rules.view(state, 'child')).toMatchObject({ turn: 0, scores: [1, 0] });
    state = rules.settle(flip(flip(state, 'grandma', pairs[1]![0]!), 'grandma', pairs[2]![0]!));
    for (const [a, b] of pairs.slice(1)) state = flip(flip(state, 'child', a!), 'child', b!);
    const view = rules.view(state, 'grandma');
    expect(view).toMatchObject({ turn: null, scores: [1, 3], winners: [1], showingMiss: false });
    expect(view.cards.every((card) => card.face === 'matched')).toBe(true);
    expect(rules.move(state, 'child', { kind: 'memory', card: 0 })).toEqual({ ok: false, reason: 'game-over' });
  });

  it('a miss stays face up until the server settles it, and only then passes the turn', () => {
    const { state: start, pairs } = newGame();
    const missed = flip(flip(start, 'grandma', pairs[0]![0]!), 'grandma', pairs[1]![0]!);
    expect(rules.view(missed, 'child')).toMatchObject({ turn: 0, showingMiss: true });
    expect(rules.pendingMs(missed)).toBe(MEMORY_MISS_SHOW_MS);
    expect(rules.move(missed, 'grandma', { kind: 'memory', card: pairs[2]![0]! })).toEqual({ ok: false, reason: 'wait-for-cards' });
    expect(rules.move(missed, 'child', { kind: 'memory', card: pairs[2]![0]! })).toEqual({ ok: false, reason: 'not-your-turn' });
    const settled = rules.settle(missed);
    expect(rules.view(settled, 'child')).toMatchObject({ turn: 1, showingMiss: false });
    expect(rules.view(settled, 'child').cards.every((card) => card.face === 'down')).toBe(true);
    expect(rules.pendingMs(settled)).toBeNull();
    // A timer that fires again changes nothing.
    expect(rules.settle(settled)).toBe(settled);
  });

  it('a player who leaves a game of three is skipped and cannot win', () => {
    const start = rules.start(['grandma', 'child', 'cousin'], { cards: 8 }, seeded(2));
    const first = start.deck.indexOf(start.deck[0]!, 1);
    // Grandma finds a pair, then leaves while it is still her turn.
    const scored = flip(flip(start, 'grandma', 0), 'grandma', first);
    const left = withoutPlayer(scored, 'grandma');
    expect(rules.view(left, null)).toMatchObject({ turn: 1, scores: [1, 0, 0] });
    expect(rules.move(left, 'grandma', { kind: 'memory', card: 1 })).toEqual({ ok: false, reason: 'game-players-only' });
    const { state: end } = playToEnd(left);
    expect(rules.view(end, null).winners).not.toContain(0);
  });

  it('a rematch deals a fresh deck and the next player starts', () => {
    const { state: start, pairs } = newGame();
    let state = start;
    for (const [a, b] of pairs) state = flip(flip(state, 'grandma', a!), 'grandma', b!);
    const rematch = rules.rematch(state, seeded(3));
    expect(rules.view(rematch, null)).toMatchObject({ turn: 1, scores: [0, 0], winners: [] });
    checkDeck(rematch.deck, 8);
  });
});
