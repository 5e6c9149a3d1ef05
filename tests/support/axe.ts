import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core, injected into the page under test, checks it with its full rule set: WCAG 2.2 A, AA
// and AAA, best practices, and the rules axe still calls experimental (among them the accessible
// name that must contain the visible label). Tests assert that nothing serious or critical is
// found; the full list goes into the failure message.

// The pages' CSP refuses injected script tags; source evaluated through the debugging protocol is
// not subject to it, so axe is put in place that way and the page's own policy stays untouched.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe on the page as it is now and returns the serious and critical findings. */
export async function seriousAccessibilityProblems(page: Page): Promise<AxeFinding[]> {
  const hasAxe = await page.evaluate(() => 'axe' in globalThis);
  if (!hasAxe) await page.evaluate(`${axeSource}\n;undefined`);
  const findings = await page.evaluate(async () => {
    type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };
    const page = globalThis as unknown as {
      axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> };
      document: unknown;
    };
    const result = await page.axe.run(page.document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag2aaa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental'],
      },
      // Video elements carry live camera pictures, which have no captions by nature.
      rules: { 'video-caption': { enabled: false } },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  });
  return findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}
