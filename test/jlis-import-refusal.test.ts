import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphRefusedError, type GraphClient, type GraphResult } from '../lib/platform/graph-client.js';
import { importJlisFile } from '../workers/jlis-import.js';
import { signed } from './support/jlis.js';

const file = join(mkdtempSync(join(tmpdir(), 'renkei-jlis-refusal-')), 'feed.jsonl');
writeFileSync(file, `${JSON.stringify(signed({ notificationId: 'J-1', kind: 'CERTIFICATE_REVOKED', previousSerial: 'C1', filedOn: '2026-03-18' }))}\n`);

/** A gateway that answers each batch with the next of `answers`, counting the batches sent. */
function answering(...answers: GraphResult<unknown>[]): GraphClient & { sent: number } {
  let sent = 0;
  return {
    get sent() {
      return sent;
    },
    request: async () => answers[Math.min(sent++, answers.length - 1)] as never,
  };
}
const refused = (code: string): GraphResult<unknown> => ({ data: null, errors: [{ message: 'refused', extensions: { code } }] });
const ok: GraphResult<unknown> = {
  data: { ingestJlisNotifications: { userErrors: [], results: [{ notificationId: 'J-1', outcome: 'NO_CHANGE', reason: null }] } },
};
const run = (graph: GraphClient) => importJlisFile({ file, graph, headers: async () => ({}), retries: 3 });

describe('jlis:import when the gateway answers errors', () => {
  it('a refusal (trusted documents only, a bad token, a forbidden role) stops at once, naming the code', async () => {
    for (const code of ['PERSISTED_QUERY_ONLY', 'UNAUTHENTICATED', 'FORBIDDEN']) {
      const graph = answering(refused(code));
      const failure = await run(graph).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(GraphRefusedError);
      expect((failure as GraphRefusedError).codes).toEqual([code]);
      expect(graph.sent).toBe(1);
    }
  });

  it('a failure that may pass (the driver record away) is sent again', async () => {
    const graph = answering(refused('INTERNAL_SERVER_ERROR'), refused('SERVICE_UNAVAILABLE'), ok);
    await expect(run(graph)).resolves.toMatchObject({ sent: 1, outcomes: { NO_CHANGE: 1 } });
    expect(graph.sent).toBe(3);
  }, 10_000);

  it('a batch the graph refuses (a line J-LIS did not sign) stops the import, naming the line of the file', async () => {
    const graph = answering({
      data: {
        ingestJlisNotifications: {
          results: [],
          userErrors: [{ code: 'JLIS_SIGNATURE_INVALID', message: '1件目の通知の署名（signature）を…', field: ['input', '0', 'signature'] }],
        },
      },
    });
    const failure = (await run(graph).catch((e: unknown) => e)) as Error;
    expect(failure.message).toMatch(/^the batch was refused \(line 1\): JLIS_SIGNATURE_INVALID /);
    expect(graph.sent).toBe(1);
  });
});
