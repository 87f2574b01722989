import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors.js';

const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_ONLY',
  'PERSISTED_QUERY_ID_REQUIRED',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** graphql-js echoes a rejected variable's value; the value may be personal data, so it is cut out. */
const ECHOED_VALUE = / got invalid value .*?; /s;
const ECHOED_VALUE_TAIL = / got invalid value .*$/s;
const VARIABLE_ERROR = /^(Variable "\$\w+" got) invalid value /;
/**
 * Where in the variable the rejected value sits (`at "input.birthDate"`): names of the schema and list positions
 * only. The last such mark is graphql-js's own, whatever the echoed value before it holds.
 */
const AT_PATH = / at "(\$?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*)"; /g;

/**
 * The shape of every error leaving a server: a stable code, a message with no stack and no personal value, and for
 * anything unexpected only a request id (the detail goes to the server log, where it is also free of values).
 */
/** A message with any echoed value cut out: what may be logged or returned. */
export function withoutEchoedValues(message: string): string {
  // The database driver's message quotes the statement and its parameters, which can be a holder's name or address.
  if (/^Failed query:/.test(message)) return 'database query failed';
  const variable = VARIABLE_ERROR.exec(message);
  const at = variable ? [...message.matchAll(AT_PATH)].at(-1) : undefined;
  if (variable && at) return `${variable[1]} an invalid value at "${at[1]}"; ${message.slice(at.index! + at[0].length)}`;
  return message.replace(ECHOED_VALUE, ' got an invalid value; ').replace(ECHOED_VALUE_TAIL, ' got an invalid value.');
}

/**
 * graphql-js reports a request it cannot run (a variable of the wrong shape, a document that does not validate)
 * as an error with no code; such an error has no path and is the caller's, not the server's.
 */
export function requestErrorCode(e: { message: string; path?: readonly unknown[]; extensions?: Record<string, unknown> }): string | null {
  if (typeof e.extensions?.code === 'string' || (e.path && e.path.length > 0)) return null;
  return /^Variable "\$/.test(e.message) ? 'INVALID_INPUT' : /^Syntax Error/.test(e.message) ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
}

/** How each engine reports a subgraph it could not reach (a timeout is reported by its message alone). */
const UNREACHABLE_SUBGRAPH = new Set(['SUBREQUEST_HTTP_ERROR', 'DOWNSTREAM_SERVICE_ERROR']);

export function formatApiError(
  formatted: GraphQLFormattedError,
  opts: { requestId?: string; log?: (msg: string, detail: Record<string, unknown>) => void } = {},
): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
  if (UNREACHABLE_SUBGRAPH.has(code) || formatted.message === 'The operation was aborted due to timeout') {
    // The fields it would have answered are null; the client is told they are unknown, not which service failed.
    opts.log?.('subgraph unreachable', { requestId: opts.requestId, path: formatted.path, kind: withoutEchoedValues(formatted.message).slice(0, 120) });
    return {
      message: 'part of this answer is temporarily unavailable; try again',
      path: formatted.path,
      extensions: { code: 'SERVICE_UNAVAILABLE', requestId: opts.requestId },
    };
  }
  if (!KNOWN_CODES.has(code) || code === 'INTERNAL_SERVER_ERROR') {
    opts.log?.('internal error', { requestId: opts.requestId, path: formatted.path, kind: withoutEchoedValues(formatted.message).slice(0, 120) });
    return {
      message: 'internal error; quote the request id to support',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: opts.requestId },
    };
  }
  const message = withoutEchoedValues(formatted.message);
  // Which subgraph answered and how are internals: the caller gets the code and the message only.
  const { stacktrace: _s, exception: _e, serviceName: _n, response: _r, http: _h, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  const normalized = code === 'BAD_USER_INPUT' ? 'INVALID_INPUT' : code;
  return { ...formatted, message, extensions: { ...extensions, code: normalized } };
}
