import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { pseudonymsNamed } from '../gateway/holder-scope.js';
import { parseConfig } from '../lib/platform/config.js';
import { createSubgraphScope } from '../lib/platform/identity/subgraph-scope.js';

const named = (query: string, variables?: Record<string, unknown>) => pseudonymsNamed(parse(query), variables).sort();

describe('security (issue 15.1): the pseudonyms a Myna Portal request names', () => {
  it('security: literal arguments and input-object fields called pseudonym, at any depth', () => {
    expect(named('{ a: holderByPseudonym(pseudonym: "pseudo-aaaa") { id } b: myAccessLog(pseudonym: "pseudo-bbbb") { edges { cursor } } }')).toEqual([
      'pseudo-aaaa',
      'pseudo-bbbb',
    ]);
    expect(named('mutation { revokeAddressOneStopConsent(input: { pseudonym: "pseudo-cccc" }) { userErrors { code } } }')).toEqual(['pseudo-cccc']);
    expect(named('mutation { x(input: { outer: { list: [{ pseudonym: "pseudo-dddd" }] } }) { y } }')).toEqual(['pseudo-dddd']);
  });

  it('security: through variables, nested inputs and defaults included; other strings are not pseudonyms', () => {
    expect(named('query($p: String!) { holderByPseudonym(pseudonym: $p) { id } }', { p: 'pseudo-eeee' })).toEqual(['pseudo-eeee']);
    expect(
      named('mutation($i: In!) { grant(input: $i) { id } }', { i: { pseudonym: 'pseudo-ffff', items: ['NAME'], signedConsent: { document: 'pseudo-nope' } } }),
    ).toEqual(['pseudo-ffff']);
    expect(named('mutation($i: [In!]!) { grant(input: $i) { id } }', { i: [{ pseudonym: 'pseudo-gggg' }, { nested: { pseudonym: 'pseudo-hhhh' } }] })).toEqual([
      'pseudo-gggg',
      'pseudo-hhhh',
    ]);
    expect(named('query($p: String = "pseudo-iiii") { holderByPseudonym(pseudonym: $p) { id } }')).toEqual(['pseudo-iiii']);
    expect(named('query($p: String = "pseudo-iiii") { holderByPseudonym(pseudonym: $p) { id } }', { p: 'pseudo-jjjj' })).toEqual(['pseudo-jjjj']);
    expect(named('{ holder(id: "pseudo-kkkk") { name } }')).toEqual([]);
  });
});

describe('security (issue 15.7): what one subgraph vouches for to another', () => {
  const scope = createSubgraphScope(parseConfig({ NODE_ENV: 'test' }));
  const other = createSubgraphScope(parseConfig({ NODE_ENV: 'test', SUBGRAPH_SCOPE_KEY: 'another-key-of-at-least-thirty-two-chars' }));
  const holder = '11111111-1111-4111-8111-000000000012';
  const another = '11111111-1111-4111-8111-000000000001';

  it("security: a holder's prefecture holds for that holder, request and key only, and not once changed", () => {
    const value = scope.vouchForHolder(holder, '27', 'req-1');
    expect(scope.holderPrefecture(value, holder, 'req-1')).toBe('27');
    expect(scope.holderPrefecture(value.replace(/^27/, '13'), holder, 'req-1')).toBeNull();
    expect(scope.holderPrefecture(value, another, 'req-1')).toBeNull();
    expect(scope.holderPrefecture(value, holder, 'req-2')).toBeNull();
    expect(other.holderPrefecture(value, holder, 'req-1')).toBeNull();
    expect(scope.holderPrefecture(other.vouchForHolder(holder, '13', 'req-1'), holder, 'req-1')).toBeNull();
    for (const junk of [undefined, null, 13, '', '13', '13.1.x', `13.${'9'.repeat(12)}.${'A'.repeat(22)}`]) {
      expect(scope.holderPrefecture(junk, holder, 'req-1')).toBeNull();
    }
  });

  it("security: a consent's holder holds for that consent and request only", () => {
    const consent = '11111111-1111-4111-8111-000000001001';
    const value = scope.vouchForConsent(consent, holder, 'req-1');
    expect(scope.consentHolder(value, consent, 'req-1')).toBe(holder);
    expect(scope.consentHolder(value.replace(holder, another), consent, 'req-1')).toBeNull();
    expect(scope.consentHolder(value, '11111111-1111-4111-8111-000000001002', 'req-1')).toBeNull();
    expect(scope.consentHolder(value, consent, 'req-2')).toBeNull();
    // A holder's value is no consent's and the reverse: each kind is signed apart.
    expect(scope.holderPrefecture(scope.vouchForConsent(holder, '13', 'req-1'), holder, 'req-1')).toBeNull();
  });

  it('security: a vouched value expires within minutes', () => {
    const value = scope.vouchForHolder(holder, '13', 'req-1');
    const exp = Number(value.split('.')[1]);
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(300);
    expect(exp - Date.now() / 1000).toBeGreaterThan(60);
    const realNow = Date.now;
    try {
      Date.now = () => (exp + 1) * 1000;
      expect(scope.holderPrefecture(value, holder, 'req-1')).toBeNull();
    } finally {
      Date.now = realNow;
    }
  });

  it('SUBGRAPH_SCOPE_KEY: production requires one and refuses the development key', () => {
    const base = { NODE_ENV: 'production' };
    expect(() => parseConfig(base)).toThrow(/SUBGRAPH_SCOPE_KEY/);
    expect(() => parseConfig({ ...base, SUBGRAPH_SCOPE_KEY: 'renkei-dev-only-subgraph-scope-key-not-secret' })).toThrow(
      /SUBGRAPH_SCOPE_KEY: is the development key/,
    );
    expect(() => parseConfig({ SUBGRAPH_SCOPE_KEY: 'short' })).toThrow(/SUBGRAPH_SCOPE_KEY/);
    expect(() => createSubgraphScope({ NODE_ENV: 'production' })).toThrow(/SUBGRAPH_SCOPE_KEY/);
  });
});
