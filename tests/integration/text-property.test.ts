import { findForbiddenCharacter, findForbiddenText, oneLineText } from '@tupa/signaling/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Properties of the one text rule (signaling/src/protocol/text.ts), checked against an oracle
// written independently of it with the JavaScript engine's own Unicode data.

/** What the rule must refuse, said with regular-expression Unicode properties instead of ranges. */
function oracleRefuses(text: string, multiline: boolean): boolean {
  if (!text.isWellFormed()) return true; // a lone surrogate
  const rest = multiline ? text.replace(/[\t\n\r\u2028\u2029]/g, '') : text;
  return /[\p{Cc}\p{Noncharacter_Code_Point}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u.test(rest);
}

/** The characters real names and emoji are made of, joiners and selectors included. */
const textPieces = fc.constantFrom(
  'a', 'Ä', ' ', '-', "'", 'ß', 'ш', 'م', 'ی', 'क', '्', 'ष', 'ന', '്', '葛', 'ก', 'ี', 'א',
  '\u200C', '\u200D', '\u200E', '\u200F', '\u061C', '\uFE0F', '\u{E0100}', '\u0301', '\u0308',
  '👩', '👧', '👨', '🏽', '🏿', '🇫', '🇮', '🏴', '\u{E0067}', '\u{E0062}', '\u{E007F}', '❤', '\uE000',
);
const allowedCodePoint = fc
  .integer({ min: 0, max: 0x10ffff })
  .filter((cp) => (cp < 0xd800 || cp > 0xdfff) && !oracleRefuses(String.fromCodePoint(cp), false))
  .map((cp) => String.fromCodePoint(cp));
const allowedText = fc.string({ unit: fc.oneof(textPieces, allowedCodePoint), maxLength: 40 });

const forbiddenCharacter = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).filter((cp) => cp !== 0x09 && cp !== 0x0a && cp !== 0x0d),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.integer({ min: 0x202a, max: 0x202e }),
  fc.integer({ min: 0x2066, max: 0x2069 }),
  fc.integer({ min: 0xfdd0, max: 0xfdef }),
  fc.integer({ min: 0, max: 0x10 }).chain((plane) => fc.constantFrom(plane * 0x10000 + 0xfffe, plane * 0x10000 + 0xffff)),
  fc.integer({ min: 0xd800, max: 0xdfff }), // a lone surrogate
).map((cp) => ({ codePoint: cp, text: String.fromCharCode(...(cp > 0xffff ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp])) }));

/**
 * Any UTF-16 sequence at all, lone surrogates and controls included, mostly drawn from around the
 * edges of the refused ranges (uniform units would almost never land on the few that matter).
 */
const unit = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0, max: 0xa0 }),
  fc.integer({ min: 0x2020, max: 0x2070 }),
  fc.integer({ min: 0xd7f0, max: 0xe010 }),
  fc.integer({ min: 0xfdc0, max: 0xfe10 }),
  fc.integer({ min: 0xfff0, max: 0xffff }),
  fc.integer({ min: 0, max: 0xffff }),
);
const anyUnits = fc.array(unit, { maxLength: 12 }).map((units) => String.fromCharCode(...units));

describe('the text rule as properties', () => {
  it('lets any string of allowed characters through, and a one-line field keeps it exactly', () => {
    fc.assert(
      fc.property(allowedText, (text) => {
        expect(findForbiddenCharacter(text, { multiline: false })).toBeNull();
        expect(findForbiddenCharacter(text, { multiline: true })).toBeNull();
        const field = oneLineText({ max: 1000 }).safeParse(text);
        expect(field.success).toBe(true);
        expect(field.data).toBe(text.trim());
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any string holding a forbidden character, and finds that very character', () => {
    fc.assert(
      fc.property(allowedText, forbiddenCharacter, allowedText, (before, bad, after) => {
        // Allowed text is well-formed, so a lone surrogate put between two never finds its pair.
        const text = `${before}${bad.text}${after}`;
        for (const multiline of [false, true]) {
          const found = findForbiddenCharacter(text, { multiline });
          expect(found).toMatchObject({ index: before.length, codePoint: bad.codePoint });
        }
        // Letters around it, since trimming takes a vertical tab or form feed off the ends.
        expect(oneLineText({ max: 1000 }).safeParse(`a${text}a`).success).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with the oracle on any sequence of UTF-16 units', () => {
    fc.assert(
      fc.property(anyUnits, fc.boolean(), (text, multiline) => {
        expect(findForbiddenCharacter(text, { multiline }) !== null).toBe(oracleRefuses(text, multiline));
      }),
      { numRuns: 5000 },
    );
  });

  it('finds a forbidden character wherever it is put in a request, by its path', () => {
    const request = fc.dictionary(fc.constantFrom('name', 'groundRules', 'label', 'hostIds', 'a b'), fc.oneof(allowedText, fc.array(allowedText, { maxLength: 4 })), { minKeys: 1 });
    fc.assert(
      fc.property(request, forbiddenCharacter.filter((bad) => bad.codePoint < 0xd800 || bad.codePoint > 0xdfff), fc.nat(), (fields, bad, pick) => {
        expect(findForbiddenText(fields)).toBeNull();
        const keys = Object.keys(fields);
        const key = keys[pick % keys.length] as string;
        const value = fields[key] as string | string[];
        const path: Array<string | number> = typeof value === 'string' || value.length === 0 ? [key] : [key, pick % value.length];
        const poisoned = { ...fields, [key]: path.length === 1 ? `x${bad.text}` : (value as string[]).map((v, i) => (i === path[1] ? `${v}${bad.text}` : v)) };
        expect(findForbiddenText(poisoned)).toMatchObject({ path, inFieldName: false, found: { codePoint: bad.codePoint } });
      }),
      { numRuns: 1000 },
    );
  });
});
