import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { IngestJlisNotificationsDocument } from '../lib/generated/operations.js';
import { GraphUnavailableError, type GraphClient } from '../lib/graph-client.js';
import { parseJlisLine, type JlisLine } from './jlis-file.js';

export interface ImportSummary {
  lines: number;
  sent: number;
  outcomes: Record<string, number>;
  reasons: Record<string, number>;
  badLines: { line: number; problem: string }[];
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  lines: number;
  sent: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Feeds a J-LIS file through the graph in batches, in file order. Bad lines are reported with their number and
 * skipped; the rest of the file still goes. A batch the graph cannot take is retried; the server records each
 * notification once, so rerunning a file after a crash finishes it without doing anything twice (R-ONE-7).
 */
export async function importJlisFile(opts: {
  file: string;
  graph: GraphClient;
  headers: () => Promise<Record<string, string>>;
  batchSize?: number;
  retries?: number;
  onProgress?: (p: ImportProgress) => void;
}): Promise<ImportSummary> {
  const batchSize = opts.batchSize ?? 500;
  const totalBytes = statSync(opts.file).size;
  const summary: ImportSummary = { lines: 0, sent: 0, outcomes: {}, reasons: {}, badLines: [] };
  const stream = createReadStream(opts.file, { encoding: 'utf8' });
  let bytesRead = 0;
  stream.on('data', (chunk) => (bytesRead += Buffer.byteLength(chunk as string)));
  let batch: JlisLine[] = [];

  const send = async () => {
    if (batch.length === 0) return;
    const input = batch;
    batch = [];
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await opts.graph.request(IngestJlisNotificationsDocument, { input }, await opts.headers());
        const payload = r.data?.ingestJlisNotifications;
        if (!payload) throw new GraphUnavailableError(r.errors?.[0]?.extensions?.code ?? 'no answer');
        if (payload.userErrors.length > 0) throw new Error(`the batch was refused: ${payload.userErrors[0]!.message}`);
        for (const res of payload.results) {
          summary.outcomes[res.outcome] = (summary.outcomes[res.outcome] ?? 0) + 1;
          if (res.reason) summary.reasons[res.reason] = (summary.reasons[res.reason] ?? 0) + 1;
        }
        summary.sent += input.length;
        opts.onProgress?.({ bytesRead, totalBytes, lines: summary.lines, sent: summary.sent });
        return;
      } catch (e) {
        if (!(e instanceof GraphUnavailableError) || attempt >= (opts.retries ?? 5)) throw e;
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
      }
    }
  };

  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    summary.lines++;
    const parsed = parseJlisLine(text, summary.lines);
    if (!parsed) continue;
    if (!parsed.ok) {
      summary.badLines.push({ line: parsed.line, problem: parsed.problem });
      continue;
    }
    batch.push(parsed.value);
    if (batch.length >= batchSize) await send();
  }
  await send();
  return summary;
}
