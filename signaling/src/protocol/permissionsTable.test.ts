import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPermissionTable, TABLE_END, TABLE_START } from './permissionsTable.ts';

// docs/design.md's "Who may do what" table is the permission table's own rendering: a rule
// changed in protocol/permissions.ts fails here until the document says the same. Regenerate
// it with `node signaling/src/protocol/permissionsTable.ts` and paste it between the markers.

describe("docs/design.md's who may do what", () => {
  it('is the table the permission module renders', () => {
    const design = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'design.md'), 'utf8');
    const start = design.indexOf(TABLE_START);
    const end = design.indexOf(TABLE_END);
    expect(start, 'the start marker is in docs/design.md').toBeGreaterThan(-1);
    expect(end, 'the end marker follows it').toBeGreaterThan(start);
    expect(design.slice(start + TABLE_START.length, end).trim()).toBe(renderPermissionTable());
  });
});
