import { describe, expect, it } from 'vitest';
import { formatApiError, requestErrorCode } from '../lib/platform/graphql/format-error.js';

describe('errors leave with a code and no internals', () => {
  it('an unexpected error becomes a request id; the log gets the detail without echoed values', () => {
    const logged: Record<string, unknown>[] = [];
    const out = formatApiError(
      { message: 'duplicate key value violates unique constraint: Key (name)=(山田 太郎)', extensions: { stacktrace: ['at x (a.ts:1)'] } },
      { requestId: 'req-1', log: (_m, d) => logged.push(d) },
    );
    expect(out).toEqual({
      message: 'internal error; quote the request id to support',
      path: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' },
    });
    expect(logged).toHaveLength(1);
  });

  it('a failed database statement is logged as such, never with its statement or parameters', () => {
    const logged: Record<string, unknown>[] = [];
    formatApiError(
      { message: 'Failed query: update "driver"."holders" set "address" = $1 where "id" = $2\nparams: 東京都港区芝1-1,1111', extensions: {} },
      { requestId: 'req-2', log: (_m, d) => logged.push(d) },
    );
    expect(logged).toEqual([expect.objectContaining({ kind: 'database query failed' })]);
    expect(JSON.stringify(logged)).not.toContain('東京都');
  });

  it('a rejected variable is INVALID_INPUT and its value is cut from the message and the log', () => {
    const logged: Record<string, unknown>[] = [];
    const message = 'Variable "$input" got invalid value { name: "山田 太郎" }; Field "birthDate" of required type "Date!" was not provided.';
    const out = formatApiError({ message, extensions: { code: 'BAD_USER_INPUT' } }, { log: (_m, d) => logged.push(d) });
    expect(out.extensions?.code).toBe('INVALID_INPUT');
    expect(out.message).toBe('Variable "$input" got an invalid value; Field "birthDate" of required type "Date!" was not provided.');
    const internal = formatApiError({ message }, { log: (_m, d) => logged.push(d) });
    expect(internal.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(logged)).not.toContain('山田');
  });

  it('internal fields of a subgraph error are dropped', () => {
    const out = formatApiError({
      message: 'not allowed',
      extensions: { code: 'FORBIDDEN', serviceName: 'driver', response: { url: 'http://10.0.0.1' }, http: { status: 403 } },
    });
    expect(out.extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it("a request graphql-js could not run is classified as the caller's", () => {
    expect(requestErrorCode({ message: 'Variable "$x" got invalid value 1' })).toBe('INVALID_INPUT');
    expect(requestErrorCode({ message: 'Cannot query field "nme" on type "Holder".' })).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(requestErrorCode({ message: 'boom', path: ['holder'] })).toBeNull();
  });
});

describe('security: a rejected variable names where it is, never what (15.6)', () => {
  it('security: the path of the rejected value is kept, whatever the echoed value holds before it', () => {
    const message =
      'Variable "$input" got invalid value "x; 山田 at \\"input.name\\"; 太郎" at "input.birthDate"; a Date must be a calendar date "YYYY-MM-DD" from 1900-01-01 to 2199-12-31';
    const out = formatApiError({ message, extensions: { code: 'BAD_USER_INPUT' } });
    expect(out.message).toBe(
      'Variable "$input" got an invalid value at "input.birthDate"; a Date must be a calendar date "YYYY-MM-DD" from 1900-01-01 to 2199-12-31',
    );
    const listed = formatApiError({
      message: 'Variable "$i" got invalid value "0000-01-01" at "i[0].filedOn"; a Date must be…',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(listed.message).toBe('Variable "$i" got an invalid value at "i[0].filedOn"; a Date must be…');
  });
});
