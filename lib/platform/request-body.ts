import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a GraphQL endpoint takes in one request. */
export interface BodyLimits {
  /** Bytes of body read at most; a larger body is refused with 413 before any of it is parsed. */
  maxBytes: number;
  /** Entries of `variables` taken at most (the gateway); none checked without it. */
  maxVariables?: number;
}

/** A request refused at the HTTP edge: never parsed as GraphQL, never passed on. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  /** The body was not read to its end: the connection cannot carry another request and is closed. */
  close?: boolean;
}

export type BodyRead = { ok: true; body: Record<string, unknown> | undefined } | { ok: false; refusal: Refusal } | { ok: false; aborted: true };

export const REQUEST_TOO_LARGE = 'REQUEST_TOO_LARGE';
export const TOO_MANY_VARIABLES = 'TOO_MANY_VARIABLES';
export const UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE';
export const BAD_REQUEST = 'BAD_REQUEST';
/**
 * How deep a request body may nest. The deepest input of the API is some six levels under `variables`; a body nested
 * thousands deep would exhaust the stack of whatever walks it later (a validator, the engine) and answer 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `max`, walked without recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** The fixed answers: the same on every engine, naming what is wrong and echoing nothing of the body. */
export const REFUSALS = {
  tooLarge: { status: 413, code: REQUEST_TOO_LARGE, message: 'the request body is too large', close: true },
  mediaType: { status: 415, code: UNSUPPORTED_MEDIA_TYPE, message: 'a POST body must be JSON: send content-type: application/json', close: true },
  empty: { status: 400, code: BAD_REQUEST, message: 'the request body is empty: send a JSON object naming the operation' },
  notUtf8: { status: 400, code: BAD_REQUEST, message: 'the request body is not UTF-8' },
  notJson: { status: 400, code: BAD_REQUEST, message: 'the request body is not JSON' },
  notObject: { status: 400, code: BAD_REQUEST, message: 'the request body must be one JSON object naming the operation (batching is off)' },
  tooManyVariables: { status: 400, code: TOO_MANY_VARIABLES, message: 'the request has too many variables' },
  tooDeep: { status: 400, code: BAD_REQUEST, message: `the request body nests deeper than ${MAX_JSON_DEPTH} levels` },
} satisfies Record<string, Refusal>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `application/json`, with or without parameters (`; charset=utf-8`). */
const isJson = (contentType: string | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';

/**
 * The body as it arrives, up to `max` bytes: null when it is larger (reading stops there, the rest is never taken
 * in), 'aborted' when the client went away first. Events rather than an async iterator: leaving an iterator early
 * destroys the request, and with it the socket the refusal is to be written on.
 */
function readUpTo(req: IncomingMessage, max: number): Promise<Buffer | null | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | null | 'aborted') => {
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.pause();
        done(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(Buffer.concat(chunks, size));
    const onClose = () => done('aborted');
    req.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
  });
}

const variablesCount = (variables: unknown): number =>
  variables !== null && typeof variables === 'object' && !Array.isArray(variables) ? Object.keys(variables).length : 0;

/** `variables` of a GET request's query string when they are JSON (the engine judges anything else). */
function queryStringVariables(req: IncomingMessage): unknown {
  const raw = new URL(req.url ?? '/', 'http://x').searchParams.get('variables');
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * Reads a GraphQL request's body within the limits, before anything of it is parsed as GraphQL: a POST body must be
 * JSON, at most `maxBytes`, valid UTF-8 (a byte that is not would be re-sent to a subgraph as a three-byte U+FFFD), one
 * object, with at most `maxVariables` variables. GET (and anything but POST) has no body to read.
 */
export async function readGraphQLBody(req: IncomingMessage, limits: BodyLimits): Promise<BodyRead> {
  if (req.method !== 'POST') {
    const variables = queryStringVariables(req);
    if (nestsDeeperThan(variables, MAX_JSON_DEPTH)) return { ok: false, refusal: REFUSALS.tooDeep };
    if (limits.maxVariables !== undefined && variablesCount(variables) > limits.maxVariables) return { ok: false, refusal: REFUSALS.tooManyVariables };
    return { ok: true, body: undefined };
  }
  if (!isJson(req.headers['content-type'])) return { ok: false, refusal: REFUSALS.mediaType };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) return { ok: false, refusal: REFUSALS.tooLarge };
  const raw = await readUpTo(req, limits.maxBytes);
  if (raw === 'aborted') return { ok: false, aborted: true };
  if (raw === null) return { ok: false, refusal: REFUSALS.tooLarge };
  if (raw.length === 0) return { ok: false, refusal: REFUSALS.empty };
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { ok: false, refusal: REFUSALS.notUtf8 };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, refusal: REFUSALS.notJson };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length === 0) return { ok: false, refusal: REFUSALS.notObject };
  const request = body as Record<string, unknown>;
  if (nestsDeeperThan(request, MAX_JSON_DEPTH)) return { ok: false, refusal: REFUSALS.tooDeep };
  if (limits.maxVariables !== undefined && variablesCount(request.variables) > limits.maxVariables) return { ok: false, refusal: REFUSALS.tooManyVariables };
  return { ok: true, body: request };
}

/**
 * Answers a refusal as a GraphQL error body. A refusal that left the body unread closes the connection: it is
 * answered `connection: close`, nothing more is read, and the socket is destroyed once the answer is flushed, so a
 * client's pool (the gateway's, in front of a subgraph) drops it instead of sending the next request into a
 * connection still full of the refused body, where it would wait for its timeout.
 */
export function answerRefusal(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (refusal.close) {
    headers.connection = 'close';
    req.pause();
    res.once('finish', () => req.socket.destroy());
  }
  res.writeHead(refusal.status, headers);
  res.end(JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] }));
}
