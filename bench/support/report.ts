import { cpus, totalmem } from 'node:os';

export const machine = () => `${cpus().length} × ${cpus()[0]?.model?.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

/** Prints a Markdown table (pasted into docs/benchmarks.md as is). */
export function table(title: string, head: string[], rows: (string | number)[][]): void {
  console.log(`\n${title}\n`);
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

/** The one line per benchmark that later runs are compared by. */
export function jsonLine(bench: string, fields: Record<string, unknown>): void {
  // The mode travels with every figure: a run under NODE_ENV=test is not comparable with one as deployed.
  const { database, ...rest } = fields;
  console.log(JSON.stringify({ bench, ...(database ? { database } : {}), nodeEnv: process.env.NODE_ENV, ...rest }));
}

export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);
