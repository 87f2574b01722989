/**
 * `npx tsx scripts/alternate-characters.ts [--db moji.db] [--check]`: regenerates lib/domain/characters/alternate-table.ts,
 * the table of characters and their 代替文字 that name comparison uses (R-CHAR-1), from the published standards:
 * IPA's MJ文字情報一覧表 (Ver.006.02) and MJ縮退マップ (Ver.1.2.0), as the npm package @mandel59/mojidata 1.8.1
 * carries them in its SQLite database (CC BY-SA 2.1 JP for the MJ data, MIT for the package).
 *
 * Without --db it fetches that exact package with `npm pack`, checks its integrity against the pinned digest and
 * reads `package/dist/moji.db` from it. It reads SQLite with the `sqlite3` command (Debian package sqlite3).
 * --check compares the committed table with a fresh one and exits 1 on any difference.
 *
 * What goes into the table, and why:
 * - Every MJ character is known by its UCS forms (implemented UCS, corresponding UCS, Moji_Joho IVS, compatibility
 *   ideograph), variation selectors removed and NFKC applied, since names are compared in that form.
 * - A character outside JIS X 0208 (the set J-LIS writes into certificates, replacing the others by 代替文字) maps to
 *   its degenerate form, taken from the MJ縮退マップ's tables in this order of preference: 戸籍統一文字情報 親字・正字
 *   (one hop), 法務省告示582号 別表第四 一, 民一2842号通達 誤字俗字・正字一覧表 (俗字, 無印), 民二5202号通知 正字・俗字等
 *   対照表, 戸籍統一文字情報 親字・正字 (two hops) and JIS包摂規準・UCS統合規則; a target in JIS X 0208 wins over one
 *   that is not. The looser tables (別表第四 二, 別字, 読み字形による類推, 辞書類等による関連字) are left out: they relate
 *   characters a person's name may not be read as.
 * - A JIS X 0208 character maps to another only by 戸籍統一文字情報 親字・正字 in one hop, to a JIS X 0208 character,
 *   and not when it is its own 正字 (龍 stays 龍): 邊 → 辺, 國 → 国, but never two characters that are each a 正字.
 * - Chains are followed to their end, so every character of a class maps to one representative.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { normalForm } from '../lib/domain/characters/normal-form.js';
import { firstUnrepresentable } from '../lib/domain/jis-x-0208.js';

const PACKAGE = '@mandel59/mojidata@1.8.1';
const INTEGRITY = 'sha512-OLA5LEmPHuVbdI8lGXwV3pGVpSIFAqU5+oqhPzK7q662ziWYMqxTGXoxfFb9dQCJ31WzSCG1C5rsUb2uynQhIQ==';
const OUT = new URL('../lib/domain/characters/alternate-table.ts', import.meta.url).pathname;

const { values: args } = parseArgs({ options: { db: { type: 'string' }, check: { type: 'boolean', default: false } }, strict: true });

function fetchDatabase(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'renkei-mojidata-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const name = execFileSync('npm', ['pack', PACKAGE, '--pack-destination', dir, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const tarball = join(dir, name);
  const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (digest !== INTEGRITY) {
    cleanup();
    throw new Error(`${PACKAGE}: integrity ${digest} is not the pinned ${INTEGRITY}`);
  }
  execFileSync('tar', ['-xzf', tarball, '-C', dir, 'package/dist/moji.db']);
  return { path: join(dir, 'package/dist/moji.db'), cleanup };
}

function query<T>(db: string, sql: string): T[] {
  const out = execFileSync('sqlite3', ['-json', '-readonly', db, sql], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return out.trim() ? (JSON.parse(out) as T[]) : [];
}

/** The form text is compared in (lib/domain/characters/names.ts): no variation selector, NFKC. */
const plain = (s: string | null) => (s ? normalForm(s) : null);
const single = (s: string | null): s is string => s !== null && [...s].length === 1;
const inJisX0208 = (c: string) => firstUnrepresentable(c) === null;

/** The degeneration tables used, in order of preference (see the header). */
const TABLES = [
  { table: '戸籍統一文字情報_親字正字', hops: 1 },
  { table: '法務省告示582号別表第四_一' },
  { table: '民一2842号通達別表_誤字俗字正字一覧表_俗字' },
  { table: '民一2842号通達別表_誤字俗字正字一覧表_無印' },
  { table: '民二5202号通知別表_正字俗字等対照表' },
  { table: '戸籍統一文字情報_親字正字', hops: 2 },
  { table: 'JIS包摂規準UCS統合規則' },
] as const;

function buildTable(db: string): { pairs: [string, string][]; version: string } {
  const mji = query<{ mj: string; ucs: string | null; impl: string | null; ivs: string | null; compat: string | null }>(
    db,
    'select "MJ文字図形名" as mj, "対応するUCS" as ucs, "実装したUCS" as impl, "実装したMoji_JohoコレクションIVS" as ivs, "対応する互換漢字" as compat from mji',
  );
  const version = query<{ v: string }>(db, 'select max("MJ文字図形バージョン") as v from mji')[0]?.v ?? 'unknown';
  const map = query<{ mj: string; target: string; tbl: string; rank: number | null; hops: number | null }>(
    db,
    'select "MJ文字図形名" as mj, "縮退UCS" as target, "表" as tbl, "順位" as rank, "ホップ数" as hops from mjsm',
  );

  // Targets per MJ character, by the preference of TABLES and then the table's own rank.
  const targets = new Map<string, { target: string; preference: number; rank: number }[]>();
  for (const r of map) {
    const preference = TABLES.findIndex((t) => t.table === r.tbl && (!('hops' in t) || t.hops === r.hops));
    const target = plain(r.target);
    if (preference < 0 || !single(target)) continue;
    const list = targets.get(r.mj) ?? [];
    list.push({ target, preference, rank: r.rank ?? 0 });
    targets.set(r.mj, list);
  }
  for (const list of targets.values()) list.sort((a, b) => a.preference - b.preference || a.rank - b.rank);

  // Which MJ characters a code point stands for: the one implemented at exactly that code point first (its glyph is
  // the code point's own), then those that correspond to it or are its variation sequences.
  const byChar = new Map<string, { mj: string; exact: boolean }[]>();
  for (const r of mji) {
    const forms = new Map<string, boolean>();
    for (const [form, exact] of [
      [r.impl, true],
      [r.ucs, false],
      [r.ivs, false],
      [r.compat, false],
    ] as const) {
      const p = plain(form);
      if (single(p)) forms.set(p, (forms.get(p) ?? false) || (exact && form === p));
    }
    for (const [c, exact] of forms) {
      const list = byChar.get(c) ?? [];
      list.push({ mj: r.mj, exact });
      byChar.set(c, list);
    }
  }

  const step = new Map<string, string>();
  for (const [c, entries] of byChar) {
    entries.sort((a, b) => Number(b.exact) - Number(a.exact) || a.mj.localeCompare(b.mj));
    const own = entries.filter((e) => e.exact);
    const chosen = own.length > 0 ? own : entries;
    const candidates = chosen.flatMap((e) => targets.get(e.mj) ?? []);
    let next: string | undefined;
    if (inJisX0208(c)) {
      const seiji = candidates.filter((t) => t.preference === 0);
      if (seiji.some((t) => t.target === c)) continue;
      next = seiji.find((t) => inJisX0208(t.target))?.target;
    } else {
      const others = candidates.filter((t) => t.target !== c);
      next = (others.find((t) => inJisX0208(t.target)) ?? others[0])?.target;
    }
    if (next && next !== c) step.set(c, next);
  }

  // Each chain is followed to its end; a chain that comes back on itself (址 → 阯 → 址) ends at the smallest code
  // point of its loop, so that both sides of it agree.
  const byCodePoint = (a: string, b: string) => a.codePointAt(0)! - b.codePointAt(0)!;
  const representative = (c: string): string => {
    const path = [c];
    let at = c;
    while (step.has(at)) {
      at = step.get(at)!;
      const loop = path.indexOf(at);
      if (loop >= 0) return path.slice(loop).sort(byCodePoint)[0]!;
      path.push(at);
    }
    return at;
  };
  const pairs: [string, string][] = [];
  for (const c of step.keys()) {
    const rep = representative(c);
    if (rep !== c) pairs.push([c, rep]);
  }
  pairs.sort((a, b) => byCodePoint(a[0], b[0]));
  const keys = new Set(pairs.map(([c]) => c));
  const unstable = pairs.find(([, rep]) => keys.has(rep));
  if (unstable) throw new Error(`the representative of ${unstable[0]} (${unstable[1]}) maps further`);
  return { pairs, version };
}

function render(pairs: [string, string][], version: string): string {
  const lines: string[] = [];
  for (let i = 0; i < pairs.length; i += 32)
    lines.push(
      `  '${pairs
        .slice(i, i + 32)
        .map(([a, b]) => a + b)
        .join('')}',`,
    );
  return `/*
 * Generated by scripts/alternate-characters.ts (npx tsx scripts/alternate-characters.ts). Do not edit.
 *
 * Characters and the representative they compare as (R-CHAR-1), derived from
 *   MJ文字情報一覧表 Ver.006.02 (MJ文字図形バージョン up to ${version}) and MJ縮退マップ Ver.1.2.0,
 *   © 独立行政法人情報処理推進機構 (IPA), https://moji.or.jp/mojikiban/ (文字情報技術促進協議会),
 *   licensed under CC BY-SA 2.1 JP (https://creativecommons.org/licenses/by-sa/2.1/jp/),
 * as carried by the npm package ${PACKAGE} (https://github.com/mandel59/mojidata, MIT).
 * This table is an adaptation of those works and is itself available under CC BY-SA 2.1 JP.
 *
 * ${pairs.length} pairs; each string below holds pairs of code points: a character, then its representative.
 */
export const ALTERNATE_SOURCE = {
  package: '${PACKAGE}',
  mjCharacterList: 'Ver.006.02',
  mjGlyphVersion: '${version}',
  mjShrinkMap: 'Ver.1.2.0',
  licence: 'CC BY-SA 2.1 JP',
} as const;

export const ALTERNATE_PAIRS: readonly string[] = [
${lines.join('\n')}
];
`;
}

const source = args.db ? { path: args.db, cleanup: () => {} } : fetchDatabase();
try {
  const { pairs, version } = buildTable(source.path);
  const text = render(pairs, version);
  if (args.check) {
    if (readFileSync(OUT, 'utf8') !== text) {
      console.error('alternate-characters: lib/domain/characters/alternate-table.ts differs from a fresh table');
      process.exit(1);
    }
    console.error('alternate-characters: the committed table is current');
  } else {
    writeFileSync(OUT, text);
    console.error(`alternate-characters: wrote ${pairs.length} pairs to lib/domain/characters/alternate-table.ts`);
  }
} finally {
  source.cleanup();
}
