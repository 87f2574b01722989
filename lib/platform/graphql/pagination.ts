import { invalidArgument } from '../errors.js';
import { isDateInRange } from '../japan-date.js';
import { isUuid } from './input.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** `first` is capped by the server whatever the client asks: a page is at most 100 rows. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw invalidArgument('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/** Cursors are opaque to clients: base64url of the sort key, so pages stay stable while rows are added. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What each part of a list's sort key is: a row sequence number, a Japan date, a row id. */
export type CursorPart = 'seq' | 'date' | 'uuid';
const PART_OK: Record<CursorPart, (v: string) => boolean> = {
  seq: (v) => /^[0-9]{1,18}$/.test(v),
  date: (v) => isDateInRange(v),
  uuid: (v) => isUuid(v),
};

/**
 * The sort key a cursor carries, each part checked against what the list sorts by: a cursor is the client's to
 * send back, so one made up (a date that is not one, a number past bigint) is refused here, not by the database.
 */
export function decodeCursor(cursor: string | null | undefined, shape: readonly CursorPart[]): string[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === shape.length && key.every((k, i) => typeof k === 'string' && PART_OK[shape[i]!](k))) return key as string[];
  } catch {
    /* fall through to the error below */
  }
  throw invalidArgument('after', 'is not a cursor this list gave out');
}

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Builds a connection from rows fetched with limit `size + 1`: the extra row only tells that another page exists. */
export function toConnection<T>(rows: T[], size: number, keyOf: (row: T) => string[]): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}
