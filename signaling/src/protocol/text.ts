// Which characters Tupa's text may hold: names, chat, room settings, titles, labels, book
// details. One rule, used by the server on every REST body, query string and socket request
// before any schema or database sees them, and by the browser before it sends a name.
//
// People write their names in every script and with emoji, and those need characters that look
// like "formatting" but are text: the zero-width joiner U+200D (👩‍👧, Devanagari conjuncts), the
// zero-width non-joiner U+200C (Persian می‌خواهم), variation selectors (U+FE00–FE0F,
// U+E0100–E01EF), skin-tone modifiers, emoji tag sequences (the flags of Scotland and Wales),
// combining marks, and the direction marks U+200E, U+200F and U+061C that mixed-direction names
// need. All of these pass, and text comes back exactly as it was typed: no characters are
// removed and nothing is normalised (NFKC would change how a name looks; even NFC is not needed,
// since nothing compares names and lengths count what a person sees, not code points).
//
// Refused, because nobody means to type them and some make text lie about itself:
// - C0 and C1 control characters (U+0000–001F, U+007F–009F). Tab, line feed and carriage return
//   only in fields of several lines. U+0000 in particular cannot be kept in PostgreSQL text
//   (Sequelize writes it as the two characters `\0`, so what is stored is not what was sent).
// - The bidirectional embedding, override and isolate controls U+202A–202E and U+2066–2069: they
//   reorder the text after them, so a name could show other characters than it holds
//   ("Trojan Source", CVE-2021-42574).
// - Lone surrogates: half a character, which cannot be written as UTF-8 at all.
// - Noncharacters (U+FDD0–FDEF and the last two code points of every plane), which Unicode
//   keeps for programs' internal use and never for exchanged text (Unicode 15, section 23.7).
// - In one-line fields, line breaks: line feed, carriage return, U+2028 and U+2029.

/** Why a character is not accepted. */
export type ForbiddenCharacterKind = 'control' | 'line-break' | 'direction-control' | 'lone-surrogate' | 'noncharacter';

/** The first character of a text that the rule refuses: its UTF-16 index and code point. */
export interface ForbiddenCharacter {
  index: number;
  codePoint: number;
  kind: ForbiddenCharacterKind;
}

/**
 * The first character `text` may not hold, or null when every character is allowed.
 * `multiline` allows tab, line feed, carriage return, U+2028 and U+2029 (ground rules,
 * descriptions, chat); without it they are refused. Runs in one pass over the UTF-16 code units.
 */
export function findForbiddenCharacter(text: string, options: { multiline: boolean }): ForbiddenCharacter | null {
  const { multiline } = options;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x20 || (unit >= 0x7f && unit <= 0x9f)) {
      if (unit === 0x0a || unit === 0x0d) {
        if (!multiline) return { index, codePoint: unit, kind: 'line-break' };
      } else if (!(unit === 0x09 && multiline)) {
        return { index, codePoint: unit, kind: 'control' };
      }
      continue;
    }
    if (unit < 0x2028) continue; // the common case: nothing below U+2028 but controls is refused
    if (unit === 0x2028 || unit === 0x2029) {
      if (!multiline) return { index, codePoint: unit, kind: 'line-break' };
      continue;
    }
    if ((unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)) {
      return { index, codePoint: unit, kind: 'direction-control' };
    }
    let codePoint = unit;
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = text.charCodeAt(index + 1); // NaN past the end
      if (unit > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return { index, codePoint: unit, kind: 'lone-surrogate' };
      codePoint = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
    }
    if ((codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe) {
      return { index, codePoint, kind: 'noncharacter' };
    }
    if (codePoint > 0xffff) index++;
  }
  return null;
}

/**
 * `text` without the bidirectional embedding, override and isolate controls (U+202A–202E,
 * U+2066–2069). Phone keyboards and contact apps wrap pasted phone numbers and addresses in them
 * without the person seeing it; a chat message keeps what the person sees and loses only these
 * invisible marks, so the server's refusal never meets a message someone typed or pasted.
 */
export function withoutDirectionControls(text: string): string {
  return text.replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
}

/** The code point as Unicode writes it: U+0000, U+202E, U+1FFFF. */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

const DESCRIPTIONS: Record<ForbiddenCharacterKind, string> = {
  control: 'contains a control character',
  'line-break': 'contains a line break, and must be one line',
  'direction-control': 'contains a text direction control',
  'lone-surrogate': 'contains half a character (a lone surrogate)',
  noncharacter: 'contains a noncharacter',
};

/**
 * What is wrong, in English for API clients and logs, e.g. `contains a control character
 * (U+0000)`. Names the code point and never repeats the character itself.
 */
export function describeForbiddenCharacter(found: ForbiddenCharacter): string {
  return `${DESCRIPTIONS[found.kind]} (${codePointLabel(found.codePoint)})`;
}

/** A refused character found somewhere inside a request: where (field path) and what. */
export interface ForbiddenTextProblem {
  /** Field names and array indexes from the top of the request, e.g. ['hostIds', 2]. */
  path: Array<string | number>;
  /** True when the character is in a field's name rather than its value. */
  inFieldName: boolean;
  found: ForbiddenCharacter;
}

interface PendingValue {
  value: unknown;
  key: string | number | undefined;
  parent: PendingValue | undefined;
}

/**
 * Looks through a whole request (a parsed JSON body, a query string object, a socket payload)
 * and returns the first string, or field name, holding a character no field may hold; null when
 * there is none. Every field is treated as one that may have several lines: a one-line field
 * refuses line breaks in its own schema (`oneLineText`). Only arrays and plain objects are
 * entered (what JSON gives); the walk uses its own stack, so nesting as deep as a 64 KiB message
 * allows cannot overflow the call stack.
 */
export function findForbiddenText(request: unknown): ForbiddenTextProblem | null {
  const stack: PendingValue[] = [{ value: request, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const item = stack.pop() as PendingValue;
    const { value } = item;
    if (typeof value === 'string') {
      const found = findForbiddenCharacter(value, { multiline: true });
      if (found) return { path: pathOf(item), inFieldName: false, found };
    } else if (Array.isArray(value)) {
      // Pushed last to first, so fields are looked at in the order they were written.
      for (let index = value.length - 1; index >= 0; index--) stack.push({ value: value[index], key: index, parent: item });
    } else if (isPlainObject(value)) {
      const keys = Object.keys(value);
      for (const key of keys) {
        const found = findForbiddenCharacter(key, { multiline: false });
        if (found) return { path: pathOf(item), inFieldName: true, found };
      }
      for (let index = keys.length - 1; index >= 0; index--) {
        const key = keys[index] as string;
        stack.push({ value: value[key], key, parent: item });
      }
    }
  }
  return null;
}

/**
 * The problem as one line naming the field, e.g. `groundRules: contains a control character
 * (U+0000)`; a long path is cut to its last 80 characters.
 */
export function describeForbiddenText(problem: ForbiddenTextProblem, prefix?: string): string {
  const path = [...(prefix ? [prefix] : []), ...problem.path].join('.');
  const where = path.length > 80 ? `…${path.slice(-79)}` : path;
  const what = problem.inFieldName ? `a field name ${describeForbiddenCharacter(problem.found)}` : describeForbiddenCharacter(problem.found);
  return where ? `${where}: ${what}` : what;
}

function pathOf(item: PendingValue): Array<string | number> {
  const path: Array<string | number> = [];
  for (let at: PendingValue | undefined = item; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

let graphemes: Intl.Segmenter | null | undefined;

/**
 * How many characters a person sees in `text`: grapheme clusters (Unicode UAX #29), so a family
 * emoji 👨‍👩‍👧‍👦 (seven code points, eleven UTF-16 units) or a flag counts as one, as does a letter
 * with its accents. A cluster longer than UNITS_PER_SEEN_CHARACTER counts one per UTF-16 unit,
 * so a letter buried under hundreds of combining marks (which draws over the lines
 * around it) cannot pass a field's limit as one character. Where a browser has no
 * Intl.Segmenter (Firefox before 125) code points are counted, which is never fewer; the
 * server, which decides, always has it.
 */
export function countCharacters(text: string): number {
  if (graphemes === undefined) graphemes = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  let count = 0;
  if (graphemes) {
    for (const { segment } of graphemes.segment(text)) count += segment.length > UNITS_PER_SEEN_CHARACTER ? segment.length : 1;
  } else {
    for (const _ of text) count++;
  }
  return count;
}

/**
 * The longest a cluster may be in UTF-16 units and still count as one character. The longest
 * real ones are emoji sequences: a family of four with skin tones is 19 units, a kiss with skin
 * tones 15, the flag of England (a tag sequence) 14.
 */
export const UNITS_PER_SEEN_CHARACTER = 24;

/**
 * UTF-16 code units allowed per character of a field's limit. A character can be long (a
 * family emoji with skin tones is 19 units, a flag 14), but one letter can also carry endless
 * combining marks and still count as one character; this bounds what a field may store while no
 * real name or message comes near it.
 */
export const MAX_UNITS_PER_CHARACTER = 10;
