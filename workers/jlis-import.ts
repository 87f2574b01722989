import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { IngestJlisNotificationsDocument } from '../lib/domain/generated/operations.js';
import { errorCodes, GraphRefusedError, GraphUnavailableError, type GraphClient } from '../lib/platform/graph-client.js';
import { parseJlisLine, type JlisLine } from './jlis-file.js';
import { JlisLanes } from './jlis-lanes.js';

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
 * Bytes of notifications one batch carries at most, whatever their number: half the gateway's default body limit
 * (GATEWAY_MAX_BODY_BYTES, 512 KiB), so that a batch of long names and addresses is sent as two rather than refused
 * with 413 and stopping the import.
 */
export const MAX_BATCH_BYTES = 256 * 1024;

/** The codes of a batch that failed for now, not for good. */
const TRANSIENT_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE']);

/**
 * Feeds a J-LIS file through the graph in batches. Bad lines are reported with their number and skipped; the rest of
 * the file still goes. Lines are spread over `concurrency` lanes by certificate chain (JlisLanes), each lane sending
 * its batches one after another in file order, so the lanes' batches can be in flight together without changing any
 * outcome. A batch the graph cannot take is retried; the server records each notification once, so rerunning a file
 * after a crash finishes it without doing anything twice (R-ONE-7).
 */
export async function importJlisFile(opts: {
  file: string;
  graph: GraphClient;
  headers: () => Promise<Record<string, string>>;
  batchSize?: number;
  /** Bytes of notifications (as their lines in the file) in one batch at most (MAX_BATCH_BYTES). */
  batchBytes?: number;
  concurrency?: number;
  retries?: number;
  onProgress?: (p: ImportProgress) => void;
}): Promise<ImportSummary> {
  const batchSize = opts.batchSize ?? 1000;
  const batchBytes = opts.batchBytes ?? MAX_BATCH_BYTES;
  const lanes = new JlisLanes(Math.max(1, opts.concurrency ?? 4));
  const totalBytes = statSync(opts.file).size;
  const summary: ImportSummary = { lines: 0, sent: 0, outcomes: {}, reasons: {}, badLines: [] };
  const stream = createReadStream(opts.file, { encoding: 'utf8' });
  let bytesRead = 0;
  stream.on('data', (chunk) => (bytesRead += Buffer.byteLength(chunk as string)));

  const send = async (input: JlisLine[], lineNumbers: number[]) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await opts.graph.request(IngestJlisNotificationsDocument, { input }, await opts.headers());
        const payload = r.data?.ingestJlisNotifications;
        if (!payload) {
          // Sent again only when the failure may pass (a subgraph or the database away); a refusal would repeat.
          const codes = errorCodes(r);
          if (codes.length > 0 && codes.every((c) => !TRANSIENT_CODES.has(c))) throw new GraphRefusedError(codes);
          throw new GraphUnavailableError(codes[0] ?? 'no answer');
        }
        if (payload.userErrors.length > 0) {
          // The graph names a notification by its place in the batch; the operator needs its line in the file.
          const at = (e: { field?: readonly string[] | null }) => lineNumbers[Number(e.field?.[1])];
          const lines = [...new Set(payload.userErrors.map(at).filter((n): n is number => n !== undefined))];
          const where = lines.length > 0 ? ` (line ${lines.slice(0, 20).join(', ')}${lines.length > 20 ? ', …' : ''})` : '';
          throw new Error(`the batch was refused${where}: ${payload.userErrors[0]!.code} ${payload.userErrors[0]!.message}`);
        }
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

  // Each lane: the lines not yet sent and the batch in flight. Reading waits for a lane's batch in flight before
  // sending its next one, which keeps at most one batch per lane in flight and the file's memory bounded.
  const lane = Array.from({ length: lanes.count }, () => ({
    pending: [] as JlisLine[],
    lineNumbers: [] as number[],
    pendingBytes: 0,
    inFlight: null as Promise<void> | null,
  }));
  let failure: unknown = null;
  const dispatch = async (i: number) => {
    const l = lane[i]!;
    if (l.inFlight) await l.inFlight;
    if (failure) throw failure;
    const input = l.pending;
    const lineNumbers = l.lineNumbers;
    l.pending = [];
    l.lineNumbers = [];
    l.pendingBytes = 0;
    if (input.length === 0) return;
    l.inFlight = send(input, lineNumbers).then(
      () => void (l.inFlight = null),
      (e: unknown) => {
        failure ??= e;
        l.inFlight = null;
      },
    );
  };
  const drain = async () => {
    for (let i = 0; i < lane.length; i++) await dispatch(i);
    await Promise.all(lane.map((l) => l.inFlight));
    if (failure) throw failure;
  };

  try {
    await readLines();
  } catch (e) {
    // Let the other lanes' batches finish (or fail) before reporting, so nothing is left running behind the caller.
    await Promise.allSettled(lane.map((l) => l.inFlight));
    stream.destroy();
    throw e;
  }
  return summary;

  async function readLines() {
    for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
      summary.lines++;
      const parsed = parseJlisLine(text, summary.lines);
      if (!parsed) continue;
      if (!parsed.ok) {
        summary.badLines.push({ line: parsed.line, problem: parsed.problem });
        continue;
      }
      let i = lanes.assign(parsed.value);
      if (i === 'barrier') {
        await drain();
        lanes.reset();
        i = lanes.assign(parsed.value) as number;
      }
      const bytes = Buffer.byteLength(text);
      // A line that would take the batch past its bytes goes in the next one.
      if (lane[i]!.pending.length > 0 && lane[i]!.pendingBytes + bytes > batchBytes) await dispatch(i);
      if (failure) throw failure;
      lane[i]!.pending.push(parsed.value);
      lane[i]!.lineNumbers.push(parsed.line);
      lane[i]!.pendingBytes += bytes;
      if (lane[i]!.pending.length >= batchSize) await dispatch(i);
      if (failure) throw failure;
    }
    await drain();
  }
}
