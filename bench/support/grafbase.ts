import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kind, parse, print, visit, type DirectiveNode } from 'graphql';
import { SUBGRAPHS, schemaPath } from '../../schema/subgraphs.js';
import { freePort } from '../../devkit/processes.js';

/**
 * Grafbase's Rust gateway, the reference of what a router does on the same machine: the CLI the npm registry ships
 * as a static (musl) Linux binary, fetched on demand with `npm pack` into a cache outside the repository.
 */
export const GRAFBASE_VERSION = '0.103.0';
const PACKAGE = `@grafbase/cli-x86_64-unknown-linux-musl@${GRAFBASE_VERSION}`;

export const grafbaseCacheDir = () => join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'renkei', `grafbase-${GRAFBASE_VERSION}`);

/** The `grafbase` binary, fetched and unpacked the first time; throws with the reason when it cannot be had here. */
export function grafbaseBinary(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`no Grafbase build fetched for ${process.platform}/${process.arch} (the benchmark fetches the x86_64 Linux one)`);
  const dir = grafbaseCacheDir();
  const binary = join(dir, 'package', 'grafbase');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', PACKAGE, '--pack-destination', dir], { encoding: 'utf8' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (pack.status !== 0 || !tarball)
    throw new Error(`npm pack ${PACKAGE} failed: ${pack.error?.message ?? (pack.stderr || pack.stdout || '').trim().split('\n').at(-1)}`);
  const untar = spawnSync('tar', ['xzf', tarball], { cwd: dir, encoding: 'utf8' });
  if (untar.status !== 0 || !existsSync(binary)) throw new Error(`unpacking ${tarball} failed: ${untar.error?.message ?? untar.stderr.trim()}`);
  return binary;
}

const SHAREABLE: DirectiveNode = { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'shareable' }, arguments: [] };

/**
 * A subgraph's SDL as Grafbase composes it. Grafbase 0.103's composition requires every subgraph that defines an
 * object marked `@shareable` on the type to define all of that object's fields (Consent is shareable in driver and
 * consent, and portal-link adds `pseudonym` to it), which Federation 2 does not; in Federation 2 a type-level
 * `@shareable` means each field the definition declares is shareable, so the same mark is written on each field
 * instead. Nothing else changes: the same types, keys, `@requires` and `@inaccessible`, so the same plans.
 */
export function grafbaseSdl(sdl: string): string {
  const doc = visit(parse(sdl), {
    ObjectTypeDefinition(node) {
      if (!node.directives?.some((d) => d.name.value === 'shareable')) return undefined;
      return {
        ...node,
        directives: node.directives.filter((d) => d.name.value !== 'shareable'),
        fields: node.fields?.map((f) =>
          f.directives?.some((d) => d.name.value === 'shareable' || d.name.value === 'external')
            ? f
            : { ...f, directives: [...(f.directives ?? []), SHAREABLE] },
        ),
      };
    },
  });
  return print(doc);
}

/** Every process below `pid` (Grafbase runs as one, but a later version may not), from /proc's children lists. */
function descendants(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    let children: string[] = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean);
    } catch {}
    for (const c of children.map(Number)) out.push(c, ...descendants(c));
  }
  return out;
}

/** Writes into `dir` a `grafbase.toml` naming each subgraph's `url` and `schema_path`, and the schemas it names. */
export function writeGrafbaseConfig(dir: string, urls: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  const toml: string[] = [];
  for (const s of SUBGRAPHS) {
    const url = urls[s.name];
    if (!url) throw new Error(`no URL for the ${s.name} subgraph`);
    writeFileSync(join(dir, s.sdlFile), grafbaseSdl(readFileSync(schemaPath(s.sdlFile), 'utf8')));
    toml.push(`[subgraphs.${s.name}]`, `url = ${JSON.stringify(url)}`, `schema_path = ${JSON.stringify(s.sdlFile)}`, '');
  }
  writeFileSync(join(dir, 'grafbase.toml'), toml.join('\n'));
}

export interface RunningGrafbase {
  url: string;
  pids: number[];
  stop(): Promise<void>;
}

/**
 * `grafbase dev -c grafbase.toml` over the three subgraphs at `urls`, composed from their SDL in a directory of its own
 * (the config, the schemas as Grafbase composes them, and `--home` so that nothing is written into the user's home).
 * It composes and serves offline. Resolves once it answers `{ __typename }`; throws with the reason when it does not.
 */
export async function startGrafbase(urls: Record<string, string>): Promise<RunningGrafbase> {
  const binary = grafbaseBinary();
  const dir = mkdtempSync(join(tmpdir(), 'renkei-grafbase-'));
  writeGrafbaseConfig(dir, urls);
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ['--home', join(dir, 'home'), 'dev', '-c', 'grafbase.toml', '-p', String(port)], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString('utf8')).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}/graphql`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (res.ok && ((await res.json()) as { data?: unknown }).data) return { url, pids: [child.pid!, ...descendants(child.pid!)], stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  // Its output says why (a composition error, most often); the terminal's colour codes are left out.
  throw new Error(
    `grafbase dev did not serve: ${output
      .replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
      .trim()
      .split('\n')
      .slice(-5)
      .join(' / ')}`,
  );
}
