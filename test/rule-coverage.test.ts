import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const domain = new URL('../../shared/DOMAIN.md', import.meta.url);

describe('every rule of DOMAIN.md is named by a test', () => {
  it.skipIf(!existsSync(domain))('each R-… id of DOMAIN.md appears in a test title', () => {
    const ids = [...new Set(readFileSync(domain, 'utf8').match(/\*\*(R-[A-Z]+-\d+)\*\*/g)!.map((m) => m.replaceAll('*', '')))];
    expect(ids.length).toBeGreaterThan(20);
    const dir = new URL('.', import.meta.url);
    const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts') && f !== 'rule-coverage.test.ts');
    const titles = tests.map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
    const missing = ids.filter((id) => !new RegExp(`(it|describe)(\\.each\\([\\s\\S]*?\\))?\\([\`'"][^\`'"]*${id}\\b`).test(titles));
    expect(missing).toEqual([]);
  });
});
