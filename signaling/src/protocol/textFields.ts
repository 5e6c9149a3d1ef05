import { z } from 'zod';
import { countCharacters, describeForbiddenCharacter, findForbiddenCharacter, MAX_UNITS_PER_CHARACTER } from './text.ts';

// The schemas of text fields, built on the one character rule (text.ts), so a display name, a
// room name and a book title are checked alike on the server and in the browser.

/** Limits of a text field, in characters a person sees (grapheme clusters). */
export interface TextLimits {
  /** Fewest characters after trimming; 0 allows an empty field, 1 or more also needs one visible character. */
  min?: number;
  max: number;
}

/** A character that shows: neither white space nor one Unicode says to draw as nothing. */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}]/u;

function textField(limits: TextLimits, multiline: boolean) {
  const min = limits.min ?? 0;
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const found = findForbiddenCharacter(value, { multiline });
      if (found) {
        ctx.addIssue({ code: 'custom', message: describeForbiddenCharacter(found), params: { forbiddenCharacter: found.kind }, input: value });
        return;
      }
      // Issues with zod's own codes, so a form can tell "too short" from "too long" as before.
      // A required field needs something a person can see: a name of only a zero-width space,
      // a word joiner or the Hangul filler would show as a blank in the lobby and the tiles.
      const length = min > 0 && !VISIBLE.test(value) ? 0 : countCharacters(value);
      if (length < min) {
        ctx.addIssue({ code: 'too_small', origin: 'string', minimum: min, inclusive: true, input: value, message: `must have at least ${min} characters` });
      } else if (length > limits.max || value.length > limits.max * MAX_UNITS_PER_CHARACTER) {
        ctx.addIssue({ code: 'too_big', origin: 'string', maximum: limits.max, inclusive: true, input: value, message: `must have at most ${limits.max} characters` });
      }
    });
}

/**
 * A one-line text field (a name, a title, a label): trimmed; characters counted as a person
 * sees them; control characters, direction controls and line breaks refused (see text.ts).
 */
export function oneLineText(limits: TextLimits) {
  return textField(limits, false);
}

/** A text field of several lines (ground rules, descriptions, chat): as oneLineText, but tab and line breaks pass. */
export function manyLinesText(limits: TextLimits) {
  return textField(limits, true);
}
