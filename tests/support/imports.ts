import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';

// Reads what a source file imports the way the compilers do, not by pattern: TypeScript's own
// parser for .ts/.js and for the script blocks of a .svelte file, Svelte's parser to find those
// blocks and any `import()` in the markup.

/** One module a file names, with the 1-based line it is named on. */
export interface ImportSite {
  specifier: string;
  line: number;
  /** Which syntax names it; type-only imports count like any other. */
  kind:
    | 'import'
    | 'import type'
    | 'export from'
    | 'import()'
    | 'require()'
    | 'require.resolve()'
    | 'import = require'
    | 'type import()'
    | 'reference types';
}

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs|svelte)$/;
/** Folders never read: dependencies and generated output. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.svelte-kit', 'build', 'dist']);

/** Every source file under `folder` (absolute paths, sorted), skipping dependencies and build output. */
export function sourceFilesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) found.push(...sourceFilesUnder(path));
    } else if (SOURCE.test(entry.name)) {
      found.push(path);
    }
  }
  return found.sort();
}

/** What the file at `path` imports, in order of appearance. */
export function importsOf(path: string): ImportSite[] {
  return importsOfSource(path, readFileSync(path, 'utf8'));
}

/** What `text` imports, read as the kind of file `path` names (.svelte or script). */
export function importsOfSource(path: string, text: string): ImportSite[] {
  return path.endsWith('.svelte') ? importsOfSvelte(path, text) : importsOfScript(path, text, 0);
}

/**
 * Every module named in TypeScript or JavaScript source: static imports and re-exports (type-only
 * too), `import x = require()`, `import()` and `require()` calls, `import('x').T` in types and
 * `/// <reference types>`. `lineOffset` places a .svelte script block in its file.
 */
export function importsOfScript(path: string, text: string, lineOffset: number): ImportSite[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
  const sites: ImportSite[] = [];
  const add = (node: ts.Node, specifier: string, kind: ImportSite['kind']) =>
    sites.push({ specifier, kind, line: lineOffset + file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1 });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.importClause?.isTypeOnly ? 'import type' : 'import');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, 'export from');
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node, node.moduleReference.expression.text, 'import = require');
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const [first] = node.arguments;
      // A computed specifier cannot be checked; name it so that a rule can refuse it.
      const specifier = first && ts.isStringLiteralLike(first) ? first.text : `<computed: ${first?.getText(file)}>`;
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, specifier, 'import()');
      else if (isRequire(node.expression)) add(node, specifier, 'require()');
      else if (isResolve(node.expression)) add(node, specifier, 'require.resolve()');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, 'type import()');
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const reference of file.typeReferenceDirectives) {
    sites.push({ specifier: reference.fileName, kind: 'reference types', line: lineOffset + file.getLineAndCharacterOfPosition(reference.pos).line + 1 });
  }
  return sites;
}

/** `require`, or `createRequire(...)` called in place. */
function isRequire(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  return ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire';
}

/** `require.resolve`, `createRequire(...).resolve` or `import.meta.resolve`: a module named to be found. */
function isResolve(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'resolve') return false;
  return isRequire(callee.expression) || ts.isMetaProperty(callee.expression);
}

function scriptKind(path: string): ts.ScriptKind {
  return /\.(js|mjs|cjs)$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** Svelte's compiler, resolved from the web app, whose build uses it. */
function svelteCompiler(): typeof import('svelte/compiler') {
  const root = join(import.meta.dirname, '..', '..');
  return createRequire(join(root, 'web', 'package.json'))('svelte/compiler') as typeof import('svelte/compiler');
}

interface EstreeNode {
  type?: string;
  start?: number;
  source?: { type?: string; value?: unknown; start?: number };
}

/** The imports of both script blocks (`<script module>` and the instance script) and of the markup. */
function importsOfSvelte(path: string, text: string): ImportSite[] {
  const ast = svelteCompiler().parse(text, { modern: true, filename: path });
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const sites: ImportSite[] = [];
  for (const script of [ast.module, ast.instance]) {
    if (!script) continue;
    const { start, end } = script.content as unknown as { start: number; end: number };
    // Parsed on its own, offset by the lines before it so that reported lines are the file's.
    sites.push(...importsOfScript(`${path}.ts`, text.slice(start, end), lineOf(start) - 1));
  }
  // `{#await import('x')}` in the markup: Svelte parses template expressions as ESTree.
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as EstreeNode;
    if (node.type === 'ImportExpression') {
      const specifier = node.source?.type === 'Literal' ? String(node.source.value) : '<computed>';
      sites.push({ specifier, kind: 'import()', line: lineOf(node.start ?? 0) });
    }
    for (const [key, child] of Object.entries(value)) if (key !== 'parent') walk(child);
  };
  walk(ast.fragment);
  return sites;
}

/** `path` relative to `root`, with forward slashes, for messages. */
export function shown(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}
