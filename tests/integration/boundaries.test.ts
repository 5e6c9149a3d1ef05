import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, importsOfSource, shown, sourceFilesUnder, type ImportSite } from '../support/imports.ts';

// Which package may import what: the "may import" column of docs/design.md ("Process and
// packages"), checked on every import of every source file (static, type-only, re-exports,
// `import()`, `require()`, .svelte script blocks) and on each package's declared dependencies.
// Break a rule (add `import 'koa'` to a media-server file) and the first test names the file
// and line.

const ROOT = join(import.meta.dirname, '..', '..');

/** What the code in one folder may not import. */
interface Boundary {
  /** Folder, from the repository root, whose source files the rule covers. */
  folder: string;
  /** Packages refused: a name (its subpaths too) or a whole scope as `@scope/*`. */
  forbidden: readonly string[];
  /** Subpaths of a forbidden package that are allowed after all (with their own subpaths). */
  except?: readonly string[];
  /** When set, the only packages the code may import at all: nothing else, not even `node:`. */
  only?: readonly string[];
  /** Files whose computed `import()` is allowed, with the reason. */
  computedImports?: Readonly<Record<string, string>>;
  /** Files the rule leaves out. */
  skip?: (path: string) => boolean;
}

/** Whatever the server runs on and the browser must never load. */
const SERVER_ONLY = ['mediasoup', 'socket.io', 'koa', '@koa/*', 'pg', 'sequelize'];

const BOUNDARIES: readonly Boundary[] = [
  {
    // Media only: mediasoup in, plain data out; it knows no transport to browsers and no storage.
    folder: 'media-server',
    forbidden: ['@tupa/*', 'socket.io', 'koa', '@koa/*', 'pg', 'sequelize'],
  },
  {
    // The room logic talks to media-server's plain data, and to storage only through interfaces
    // it declares itself (handlers/context.ts), which the server implements.
    folder: 'signaling',
    forbidden: ['mediasoup', '@tupa/db', '@tupa/server', '@tupa/web', 'koa', '@koa/*', 'pg', 'sequelize'],
  },
  {
    folder: 'db',
    forbidden: ['@tupa/*', 'mediasoup', 'socket.io', 'koa', '@koa/*'],
  },
  {
    // The composition root: everything above, but mediasoup only through media-server.
    folder: 'server',
    forbidden: ['mediasoup', '@tupa/web'],
    computedImports: { 'server/src/http/webHandler.ts': 'loads the built SvelteKit handler from web/build' },
  },
  {
    // The browser's code, and SvelteKit's server side of it: of Tupa's server, the protocol only.
    folder: 'web',
    forbidden: ['@tupa/*', ...SERVER_ONLY],
    except: ['@tupa/signaling/protocol'],
  },
  {
    // What the browser loads of signaling: zod and the protocol's own files, nothing of Node.
    folder: 'signaling/src/protocol',
    forbidden: [],
    only: ['zod'],
    skip: (path) => path.endsWith('.test.ts'),
  },
];

/** Test code may reach the shared test support folder from inside a package. */
const TEST_SUPPORT = join(ROOT, 'tests', 'support');
const isTestCode = (path: string) => path.endsWith('.test.ts') || basename(path) === 'test-helpers.ts';

const isRelative = (specifier: string) => specifier.startsWith('.') || specifier.startsWith('/');
const isComputed = (specifier: string) => specifier.startsWith('<computed');
const within = (path: string, folder: string) => path === folder || path.startsWith(folder + '/');

/** `specifier` is `pattern` or one of its subpaths; `@scope/*` takes the whole scope. */
function matches(specifier: string, pattern: string): boolean {
  if (pattern.endsWith('/*')) return specifier.startsWith(pattern.slice(0, -1));
  return specifier === pattern || specifier.startsWith(pattern + '/');
}

/** The package a bare specifier names: `@scope/name` or `name`, without any subpath. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Why `site` in `file` breaks `rule`, or undefined when it keeps it. */
function violation(rule: Boundary, file: string, site: ImportSite): string | undefined {
  const { specifier } = site;
  if (isComputed(specifier)) {
    return rule.computedImports?.[shown(ROOT, file)] ? undefined : 'a computed specifier cannot be checked';
  }
  if (isRelative(specifier)) {
    const target = resolve(dirname(file), specifier);
    if (within(target, join(ROOT, rule.folder))) return undefined;
    if (isTestCode(file) && within(target, TEST_SUPPORT)) return undefined;
    return `leaves ${rule.folder}/`;
  }
  if (rule.only) return rule.only.includes(packageName(specifier)) ? undefined : `only ${rule.only.join(', ')} may be imported here`;
  const refused = rule.forbidden.find((pattern) => matches(specifier, pattern));
  if (!refused) return undefined;
  if (rule.except?.some((allowed) => matches(specifier, allowed))) return undefined;
  return `${rule.folder} may not import ${refused}`;
}

/** Every import in the rule's folder that breaks it, as `file:line: kind 'x' (why)`. */
function violationsOf(rule: Boundary): string[] {
  const found: string[] = [];
  for (const file of sourceFilesUnder(join(ROOT, rule.folder))) {
    if (rule.skip?.(file)) continue;
    for (const site of importsOf(file)) {
      const why = violation(rule, file, site);
      if (why) found.push(`${shown(ROOT, file)}:${site.line}: ${site.kind} '${site.specifier}' (${why})`);
    }
  }
  return found;
}

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function packageJson(folder: string): PackageJson {
  return JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as PackageJson;
}

const WORKSPACES = ['media-server', 'signaling', 'db', 'server', 'web', 'tests'] as const;

/**
 * Runtime dependencies that no file imports but that are needed all the same, with the reason.
 * `@types/x` counts as used wherever `x` is.
 */
const LOADED_BY_ANOTHER_PACKAGE: Readonly<Record<string, string>> = {
  'db/pg-hstore': "sequelize's PostgreSQL dialect requires it (sequelize/lib/dialects/postgres/hstore.js)",
};

describe('package boundaries (docs/design.md, "Process and packages")', () => {
  it.each(BOUNDARIES.map((rule) => [rule.folder, rule] as const))('%s imports only what it may', (_folder, rule) => {
    expect(violationsOf(rule)).toEqual([]);
  });

  it.each(BOUNDARIES.filter((rule) => existsSync(join(ROOT, rule.folder, 'package.json'))).map((rule) => [rule.folder, rule] as const))(
    '%s declares no dependency it may not import',
    (folder, rule) => {
      const pkg = packageJson(folder);
      const declared = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies });
      // A declared package is refused unless some allowed subpath lies inside it (web's protocol).
      const refused = declared.filter(
        (name) =>
          rule.forbidden.some((pattern) => matches(name, pattern)) &&
          !rule.except?.some((allowed) => matches(allowed, name)),
      );
      expect(refused.map((name) => `${folder}/package.json: ${name}`)).toEqual([]);
    },
  );

  it.each(WORKSPACES)('every runtime dependency of %s is imported by its code', (folder) => {
    const used = new Set<string>();
    for (const file of sourceFilesUnder(join(ROOT, folder))) {
      for (const { specifier } of importsOf(file)) if (!isRelative(specifier) && !isComputed(specifier)) used.add(packageName(specifier));
    }
    const unused = Object.keys(packageJson(folder).dependencies ?? {}).filter(
      (name) => !used.has(name) && !used.has(name.replace(/^@types\//, '')) && !LOADED_BY_ANOTHER_PACKAGE[`${folder}/${name}`],
    );
    expect(unused.map((name) => `${folder}/package.json: ${name}`)).toEqual([]);
  });

  it('reads every kind of import, so that a rule cannot be slipped past', () => {
    const script = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "export * from 'c';",
      "import d = require('d');",
      "const e = await import('e');",
      "const f = require('f');",
      "const g = createRequire(import.meta.url).resolve('g');",
      "let h: typeof import('h').H;",
      'const i = await import(name);',
    ].join('\n');
    expect(importsOfSource('x.ts', script).map((s) => `${s.line} ${s.kind} ${s.specifier}`)).toEqual([
      "1 import a",
      "2 import type b",
      "3 export from c",
      "4 import = require d",
      "5 import() e",
      "6 require() f",
      "7 require.resolve() g",
      "8 type import() h",
      "9 import() <computed: name>",
    ]);
    const component = [
      '<script module lang="ts">',
      "  import type { A } from 'module-block';",
      '</script>',
      '',
      '<script lang="ts">',
      "  import { b } from 'instance-block';",
      "  const later = () => import('instance-dynamic');",
      '</script>',
      '',
      "{#await import('markup-dynamic') then m}<p>{m.default}</p>{/await}",
      "<p>import x from 'not-an-import';</p>",
    ].join('\n');
    expect(importsOfSource('X.svelte', component).map((s) => `${s.line} ${s.kind} ${s.specifier}`)).toEqual([
      '2 import type module-block',
      '6 import instance-block',
      '7 import() instance-dynamic',
      '10 import() markup-dynamic',
    ]);
  });

  it('refuses what each rule forbids and lets through what it allows', () => {
    const rule = (folder: string) => BOUNDARIES.find((r) => r.folder === folder)!;
    const check = (folder: string, file: string, specifier: string) =>
      violation(rule(folder), join(ROOT, file), { specifier, kind: 'import', line: 1 }) ?? 'allowed';
    expect(check('media-server', 'media-server/src/RoomMedia.ts', 'koa')).toBe('media-server may not import koa');
    expect(check('media-server', 'media-server/src/RoomMedia.ts', '@koa/router')).toBe('media-server may not import @koa/*');
    expect(check('media-server', 'media-server/src/RoomMedia.ts', '@tupa/db')).toBe('media-server may not import @tupa/*');
    expect(check('media-server', 'media-server/src/RoomMedia.ts', '../../db/src/index.ts')).toBe('leaves media-server/');
    expect(check('media-server', 'media-server/src/RoomMedia.ts', 'mediasoup')).toBe('allowed');
    expect(check('signaling', 'signaling/src/Room.ts', 'mediasoup')).toBe('signaling may not import mediasoup');
    expect(check('signaling', 'signaling/src/Room.ts', '@tupa/media-server')).toBe('allowed');
    expect(check('db', 'db/src/index.ts', '@tupa/signaling/protocol')).toBe('db may not import @tupa/*');
    expect(check('server', 'server/src/TupaServer.ts', 'mediasoup')).toBe('server may not import mediasoup');
    expect(check('web', 'web/src/routes/+page.svelte', '@tupa/signaling')).toBe('web may not import @tupa/*');
    expect(check('web', 'web/src/routes/+page.svelte', '@tupa/signaling/protocol/version')).toBe('allowed');
    expect(check('web', 'web/src/routes/+page.svelte', '@tupa/signaling/protocolx')).toBe('web may not import @tupa/*');
    expect(check('web', 'web/src/routes/+page.svelte', 'socket.io')).toBe('web may not import socket.io');
    expect(check('web', 'web/src/routes/+page.svelte', 'socket.io-client')).toBe('allowed');
    expect(check('web', 'web/src/routes/+page.svelte', 'mediasoup-client')).toBe('allowed');
    expect(check('web', 'web/src/lib/x.ts', '../../../signaling/src/Room.ts')).toBe('leaves web/');
    expect(check('signaling/src/protocol', 'signaling/src/protocol/media.ts', 'node:crypto')).toBe('only zod may be imported here');
    expect(check('signaling/src/protocol', 'signaling/src/protocol/media.ts', '../Room.ts')).toBe('leaves signaling/src/protocol/');
    expect(check('signaling/src/protocol', 'signaling/src/protocol/media.ts', 'zod/mini')).toBe('allowed');
    expect(check('db', 'db/src/thing.test.ts', '../../tests/support/database.ts')).toBe('allowed');
    expect(check('db', 'db/src/thing.ts', '../../tests/support/database.ts')).toBe('leaves db/');
  });
});
