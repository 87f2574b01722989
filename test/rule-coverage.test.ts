import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The project's own statement of the rules; every clone has it. */
const rules = new URL('../docs/domain.md', import.meta.url);
/** The team's shared copy, beside a checkout where there is one: the project's page must name every rule it names. */
const shared = new URL('../../shared/DOMAIN.md', import.meta.url);

const ruleIds = (text: string) => [...new Set(text.match(/\*\*(R-[A-Z]+-\d+)\*\*/g)!.map((m) => m.replaceAll('*', '')))];

describe('every rule of docs/domain.md is named by a test', () => {
  it('each R-… id of docs/domain.md appears in a test title', () => {
    const ids = ruleIds(readFileSync(rules, 'utf8'));
    expect(ids.length).toBeGreaterThan(20);
    const dir = new URL('.', import.meta.url);
    const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && f !== 'rule-coverage.test.ts');
    const titles = tests.map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
    const missing = ids.filter((id) => !new RegExp(`(it|describe)(\\.each\\([\\s\\S]*?\\))?\\([\`'"][^\`'"]*${id}\\b`).test(titles));
    expect(missing).toEqual([]);
  });

  it.skipIf(!existsSync(shared))('docs/domain.md states every rule of the shared DOMAIN.md', () => {
    const own = new Set(ruleIds(readFileSync(rules, 'utf8')));
    expect(ruleIds(readFileSync(shared, 'utf8')).filter((id) => !own.has(id))).toEqual([]);
  });
});
