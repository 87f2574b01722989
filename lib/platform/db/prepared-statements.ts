import type { Sql } from 'postgres';

/**
 * Statements with 1 to this many parameters are prepared. Without parameters postgres.js already sends a statement
 * in one round trip, and those are mostly migrations' DDL, run once. Above it a statement's text is usually one of many
 * (a list bound value by value, one text per length), and each would be kept by every connection for its lifetime.
 * The repositories pass lists as one array parameter per column, so their texts stay few.
 */
export const MAX_PREPARED_PARAMETERS = 32;

type Unsafe = Sql['unsafe'];

/**
 * The pool with drizzle's statements prepared once per connection. drizzle asks postgres.js for an unnamed
 * statement each time, and for those postgres.js first sends the text to learn the parameter types and only then
 * the values: two round trips and a parse and plan on the server for every statement. Prepared, a statement is
 * parsed once per connection and sent with its values in one round trip (HolderCard subgraph calls ~20 % faster).
 * A statement made stale by a schema change is prepared again by postgres.js itself (outside a transaction; inside
 * one the error ends the transaction, which is why migrations run before a process serves). Transactions and
 * savepoints hand out other handles, which are wrapped alike.
 */
export function preparingStatements<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return ((query, parameters = [], options = {}) =>
          target.unsafe(query, parameters, {
            ...options,
            prepare: options.prepare || (parameters.length > 0 && parameters.length <= MAX_PREPARED_PARAMETERS),
          })) as Unsafe;
      }
      if (property === 'begin' || property === 'savepoint') {
        const open = Reflect.get(target, property, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const body = args.pop() as (handle: Sql) => unknown;
          return open.call(target, ...args, (handle: Sql) => body(preparingStatements(handle)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
