import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATEWAY_MAX_BODY_BYTES } from '../lib/platform/config.js';
import type { GraphClient } from '../lib/platform/graph-client.js';
import { importJlisFile } from '../workers/jlis-import.js';
import { signed } from './support/jlis.js';

/** A gateway that takes every batch, noting the size of each request body the client would send. */
function recording(): GraphClient & { bodies: number[]; ids: string[] } {
  const bodies: number[] = [];
  const ids: string[] = [];
  return {
    bodies,
    ids,
    request: async (_doc, variables) => {
      const input = (variables as { input: { notificationId: string }[] }).input;
      bodies.push(Buffer.byteLength(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'x'.repeat(64) } }, variables })));
      ids.push(...input.map((n) => n.notificationId));
      return {
        data: {
          ingestJlisNotifications: { userErrors: [], results: input.map((n) => ({ notificationId: n.notificationId, outcome: 'NO_CHANGE', reason: null })) },
        },
      } as never;
    },
  };
}

describe('jlis:import sends batches the gateway takes (GATEWAY_MAX_BODY_BYTES)', () => {
  it('issue 15 item 3: a file of long names and addresses goes in batches under the gateway body limit, every notification once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'renkei-jlis-batches-')), 'feed.jsonl');
    // 1000 renewals of some 900 bytes each: one batch of 1000 would be a 900 KB body, which the gateway refuses.
    const lines = Array.from({ length: 1000 }, (_, i) =>
      JSON.stringify(
        signed({
          notificationId: `J-${String(i).padStart(6, '0')}`,
          kind: 'CERTIFICATE_RENEWED',
          previousSerial: `C${i}`,
          serial: `D${i}`,
          notBefore: '2026-03-18T00:00:00+09:00',
          notAfter: '2031-03-18T00:00:00+09:00',
          name: '長谷川'.repeat(20),
          address: '東京都千代田区霞が関二丁目'.repeat(15),
          filedOn: '2026-03-18',
        }),
      ),
    );
    expect(Buffer.byteLength(lines[0]!)).toBeGreaterThan(800);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const graph = recording();
    const summary = await importJlisFile({ file, graph, headers: async () => ({}), concurrency: 1 });
    expect(summary.sent).toBe(1000);
    expect(graph.ids).toEqual(lines.map((l) => (JSON.parse(l) as { notificationId: string }).notificationId));
    expect(graph.bodies.length).toBeGreaterThan(1);
    for (const size of graph.bodies) expect(size).toBeLessThan(DEFAULT_GATEWAY_MAX_BODY_BYTES);
  });
});
