import { describe, expect, it } from 'vitest';
import {
  countCharacters,
  describeForbiddenCharacter,
  describeForbiddenText,
  findForbiddenCharacter,
  findForbiddenText,
} from './text.ts';
import { manyLinesText, oneLineText } from './textFields.ts';

const oneLine = { multiline: false };
const manyLines = { multiline: true };

/** Names and messages real people write, each needing a character an older rule refused. */
const realText = {
  'the example name with a family emoji (ZWJ)': 'Mummi 👩\u200D👧',
  'a family of four (three ZWJs)': '👨\u200D👩\u200D👧\u200D👦',
  'Persian with a zero-width non-joiner': 'می\u200Cخواهم',
  'Arabic name with a non-joiner': 'عبد\u200Cالله',
  'Hindi with a zero-width joiner (half form)': 'क\u094D\u200Dषमा',
  'Malayalam chillu with a joiner': 'ന\u0D4D\u200D',
  'flag of Finland (regional indicators)': '🇫🇮',
  'flag of Scotland (emoji tag sequence)': '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
  'waving hand with a skin tone': '👋🏽',
  'a person with skin tone and white hair (ZWJ)': '👨🏿\u200D🦳',
  'red heart with variation selector 16': '❤\uFE0F',
  'an ideographic variation sequence': '葛\u{E0100}',
  'a decomposed ë (combining mark)': 'Zoe\u0308',
  'Hebrew after Latin with a right-to-left mark': 'Aino \u200Fשרה',
  'Thai with a zero-width space': 'สมชาย\u200Bใจด\u0E35',
  'a private-use character': 'Aino \uE000',
};

describe('the text rule', () => {
  it.each(Object.entries(realText))('allows %s', (_, text) => {
    expect(findForbiddenCharacter(text, oneLine)).toBeNull();
    expect(findForbiddenCharacter(text, manyLines)).toBeNull();
  });

  it.each([
    ['NUL', 'A\u0000b', 1, 0x0000, 'control'],
    ['the bell U+0007', 'Ai\u0007no', 2, 0x0007, 'control'],
    ['escape U+001B', '\u001B[31mred', 0, 0x001b, 'control'],
    ['delete U+007F', 'x\u007F', 1, 0x007f, 'control'],
    ['C1 next line U+0085', 'x\u0085y', 1, 0x0085, 'control'],
    ['right-to-left override U+202E', 'Aino\u202Eexe.txt', 4, 0x202e, 'direction-control'],
    ['left-to-right embedding U+202A', '\u202AAino', 0, 0x202a, 'direction-control'],
    ['first strong isolate U+2068', 'a\u2068b', 1, 0x2068, 'direction-control'],
    ['pop directional isolate U+2069', 'a\u2069', 1, 0x2069, 'direction-control'],
    ['a lone high surrogate', 'a\uD83D', 1, 0xd83d, 'lone-surrogate'],
    ['a lone low surrogate', '\uDC69b', 0, 0xdc69, 'lone-surrogate'],
    ['a high surrogate before a letter', '\uD83Dx', 0, 0xd83d, 'lone-surrogate'],
    ['noncharacter U+FFFF', 'a\uFFFF', 1, 0xffff, 'noncharacter'],
    ['noncharacter U+FDD0', '\uFDD0', 0, 0xfdd0, 'noncharacter'],
    ['noncharacter U+1FFFE', '👍\u{1FFFE}', 2, 0x1fffe, 'noncharacter'],
    ['noncharacter U+10FFFF', '\u{10FFFF}', 0, 0x10ffff, 'noncharacter'],
  ] as const)('refuses %s everywhere', (_, text, index, codePoint, kind) => {
    expect(findForbiddenCharacter(text, oneLine)).toEqual({ index, codePoint, kind });
    expect(findForbiddenCharacter(text, manyLines)).toEqual({ index, codePoint, kind });
  });

  it('allows tab and line breaks only in fields of several lines', () => {
    for (const [text, codePoint] of [['a\nb', 0x0a], ['a\r\nb', 0x0d], ['a\u2028b', 0x2028], ['a\u2029b', 0x2029]] as const) {
      expect(findForbiddenCharacter(text, manyLines)).toBeNull();
      expect(findForbiddenCharacter(text, oneLine)).toEqual({ index: 1, codePoint, kind: 'line-break' });
    }
    expect(findForbiddenCharacter('a\tb', manyLines)).toBeNull();
    expect(findForbiddenCharacter('a\tb', oneLine)).toEqual({ index: 1, codePoint: 0x09, kind: 'control' });
    // Vertical tab and form feed are controls even where lines are allowed.
    expect(findForbiddenCharacter('a\u000Bb', manyLines)?.kind).toBe('control');
    expect(findForbiddenCharacter('a\u000Cb', manyLines)?.kind).toBe('control');
  });

  it('describes a refused character by its code point, never by the character itself', () => {
    const found = findForbiddenCharacter('x\u0000', oneLine);
    expect(found && describeForbiddenCharacter(found)).toBe('contains a control character (U+0000)');
    const rlo = findForbiddenCharacter('\u202E', oneLine);
    expect(rlo && describeForbiddenCharacter(rlo)).toBe('contains a text direction control (U+202E)');
    const plane1 = findForbiddenCharacter('\u{1FFFF}', oneLine);
    expect(plane1 && describeForbiddenCharacter(plane1)).toBe('contains a noncharacter (U+1FFFF)');
  });
});

describe('finding forbidden text anywhere in a request', () => {
  it('names the field path of the first refused string', () => {
    const problem = findForbiddenText({ name: 'Satutupa', groundRules: 'Be kind.\u0000', hostIds: ['a', 'b'] });
    expect(problem).toEqual({ path: ['groundRules'], inFieldName: false, found: { index: 8, codePoint: 0, kind: 'control' } });
    expect(problem && describeForbiddenText(problem)).toBe('groundRules: contains a control character (U+0000)');
    const nested = findForbiddenText({ a: [{ b: 'ok' }, { b: 'ok', c: ['x', '\u202E'] }] });
    expect(nested?.path).toEqual(['a', 1, 'c', 1]);
    expect(nested && describeForbiddenText(nested, 'query')).toBe('query.a.1.c.1: contains a text direction control (U+202E)');
  });

  it('finds the first problem in the order the fields were written', () => {
    expect(findForbiddenText({ first: 'a\u0007', second: 'b\u0000' })?.path).toEqual(['first']);
    expect(findForbiddenText(['ok', ['\u0001'], '\u0002'])?.path).toEqual([1, 0]);
  });

  it('refuses a forbidden character in a field name without repeating the name', () => {
    const problem = findForbiddenText({ rtpParameters: { 'evil\u0000': 1 } });
    expect(problem).toMatchObject({ path: ['rtpParameters'], inFieldName: true });
    expect(problem && describeForbiddenText(problem)).toBe('rtpParameters: a field name contains a control character (U+0000)');
  });

  it('lets line breaks and every real script through, and ignores numbers, booleans and null', () => {
    expect(findForbiddenText({ groundRules: 'One.\nTwo.\tThree.', names: Object.values(realText), n: 1, b: true, z: null })).toBeNull();
    expect(findForbiddenText('plain')).toBeNull();
    expect(findForbiddenText(undefined)).toBeNull();
  });

  it('walks nesting far deeper than a call stack could, without overflowing', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findForbiddenText(deep)?.path).toHaveLength(100_000);
    const problem = findForbiddenText(deep);
    expect(problem && describeForbiddenText(problem).length).toBeLessThan(140);
  });

  it('only enters plain objects and arrays (binary data is the schema’s business)', () => {
    expect(findForbiddenText({ data: new Uint8Array([0, 0, 0]) })).toBeNull();
    expect(findForbiddenText(Object.assign(Object.create(null) as object, { q: '\u0000' }))?.path).toEqual(['q']);
  });
});

describe('counting characters as a person sees them', () => {
  it('counts an emoji sequence, a flag and a letter with its accent as one each', () => {
    expect(countCharacters('👨\u200D👩\u200D👧\u200D👦')).toBe(1);
    expect(countCharacters('🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}')).toBe(1);
    expect(countCharacters('🇫🇮')).toBe(1);
    expect(countCharacters('Zoe\u0308')).toBe(3);
    expect(countCharacters('Mummi 👩\u200D👧')).toBe(7);
    expect(countCharacters('')).toBe(0);
  });
});

describe('text field schemas', () => {
  const name = oneLineText({ min: 1, max: 40 });
  const rules = manyLinesText({ max: 2000 });

  it('keep every name exactly as typed, only trimmed', () => {
    for (const text of Object.values(realText)) expect(name.parse(` ${text} `)).toBe(text);
    expect(rules.parse('Be kind.\nNo recording.')).toBe('Be kind.\nNo recording.');
  });

  it('count the limit in characters a person sees, so emoji names are not cut short', () => {
    const family = '👨\u200D👩\u200D👧\u200D👦';
    const forty = `Mummi ${family.repeat(34)}`;
    expect(forty.length).toBe(380); // UTF-16 units: a limit on those would refuse it
    expect(name.parse(forty)).toBe(forty);
    const refused = name.safeParse(`${forty}x`);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ code: 'too_big', maximum: 40 });
    expect(name.safeParse('   ').error?.issues[0]).toMatchObject({ code: 'too_small', minimum: 1 });
  });

  it('bound what one character may carry, so endless combining marks do not pass as one', () => {
    // Longer than any real character (24 units): each unit counts.
    expect(countCharacters(`a${'\u0301'.repeat(400)}`)).toBe(401);
    expect(countCharacters(`a${'\u0301'.repeat(23)}`)).toBe(1);
    expect(name.safeParse(`a${'\u0301'.repeat(400)}`).error?.issues[0]?.code).toBe('too_big');
    expect(name.safeParse(`a${'\u0301'.repeat(30)}`).success).toBe(true);
  });

  it('refuse forbidden characters with a message naming the code point', () => {
    const refused = name.safeParse('Aino\u0000');
    expect(refused.error?.issues[0]).toMatchObject({ code: 'custom', message: 'contains a control character (U+0000)' });
    expect(name.safeParse('Ai\nno').error?.issues[0]?.message).toBe('contains a line break, and must be one line (U+000A)');
    expect(rules.safeParse('Rule\u202E').success).toBe(false);
  });
});
