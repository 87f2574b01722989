import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { holderIdsRequested } from '../lib/platform/graphql/holder-ids.js';

const count = (doc: string, variables: Record<string, unknown> = {}, operationName?: string) => holderIdsRequested(parse(doc), operationName, variables);

describe('the holder ids of a request, over all its holders fields (issue 15 item 7)', () => {
  it('security: literal lists and variable values alike, through aliases and fragments', () => {
    expect(count('{ holders(ids: ["a", "b"]) { id } }')).toBe(2);
    expect(count('query($ids: [ID!]!) { holders(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] })).toBe(3);
    expect(count('query($x: ID!) { holders(ids: [$x, "b"]) { id } }', { x: 'a' })).toBe(2);
    expect(
      count(
        'query($ids: [ID!]!) { a: holders(ids: $ids) { id } b: holders(ids: ["x"]) { id } ... on Query { c: holders(ids: $ids) { id } } ...F } fragment F on Query { d: holders(ids: ["y", "z"]) { id } }',
        { ids: ['1', '2'] },
      ),
    ).toBe(7);
  });

  it('security: a default value counts when the variable is not given, and a single value is a list of one', () => {
    expect(count('query($ids: [ID!]! = ["a", "b", "c"]) { holders(ids: $ids) { id } }')).toBe(3);
    expect(count('query($ids: [ID!]! = ["a", "b", "c"]) { holders(ids: $ids) { id } }', { ids: ['a'] })).toBe(1);
    expect(count('{ holders(ids: "a") { id } }')).toBe(1);
    expect(count('query($ids: [ID!]!) { holders(ids: $ids) { id } }', { ids: 'a' })).toBe(1);
  });

  it('fields that share a response key are one field, as GraphQL merges them; the same fragment twice is spread once', () => {
    expect(count('query($ids: [ID!]!) { holders(ids: $ids) { id } holders(ids: $ids) { name } }', { ids: ['a', 'b'] })).toBe(2);
    expect(count('{ ...F ...F } fragment F on Query { holders(ids: ["a", "b"]) { id } }')).toBe(2);
  });

  it('only the operation that runs is counted, and only a query', () => {
    const doc = 'query A { holders(ids: ["a"]) { id } } query B { holders(ids: ["a", "b"]) { id } }';
    expect(count(doc, {}, 'A')).toBe(1);
    expect(count(doc, {}, 'B')).toBe(2);
    expect(count('mutation { changeCards(input: { holderId: "a", cards: [] }) { userErrors { code } } }')).toBe(0);
    expect(count('{ holder(id: "a") { id } }')).toBe(0);
  });
});
