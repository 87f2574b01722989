import { costLimitPlugin, costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin, maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin, maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Config } from '../lib/config.js';

/**
 * Request limits at the gateway (OWASP API4): depth, aliases, tokens and cost, with graphql-armor. The limits are
 * never revealed: a refused document gets one message that names no number.
 */
export type Limits = Pick<Config, 'LIMIT_MAX_DEPTH' | 'LIMIT_MAX_ALIASES' | 'LIMIT_MAX_TOKENS' | 'LIMIT_MAX_COST'>;

export const LIMIT_MESSAGE = 'the operation is too large or too complex';

/** Reported as an ordinary validation error (a thrown one would surface as a server failure). */
const common = {
  exposeLimits: false,
  errorMessage: LIMIT_MESSAGE,
  propagateOnRejection: false,
  onReject: [(ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(error)],
};

/** For the Hive runtime (envelop plugins); field suggestions are blocked in production. */
export function limitPlugins(limits: Limits, production: boolean) {
  return [
    // Counted while parsing, before any validation: a refused document is a syntax error.
    maxTokensPlugin({ exposeLimits: false, errorMessage: LIMIT_MESSAGE, n: limits.LIMIT_MAX_TOKENS }),
    maxDepthPlugin({ ...common, n: limits.LIMIT_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesPlugin({ ...common, n: limits.LIMIT_MAX_ALIASES }),
    costLimitPlugin({ ...common, maxCost: limits.LIMIT_MAX_COST, ignoreIntrospection: true, flattenFragments: true }),
    ...(production ? [blockFieldSuggestionsPlugin({ mask: '' })] : []),
  ];
}

/** The same limits as validation rules, for @apollo/gateway (tokens are counted by the Hive engine only). */
export function limitRules(limits: Limits) {
  return [
    maxDepthRule({ ...common, n: limits.LIMIT_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesRule({ ...common, n: limits.LIMIT_MAX_ALIASES }),
    costLimitRule({ ...common, maxCost: limits.LIMIT_MAX_COST, ignoreIntrospection: true, flattenFragments: true }),
  ];
}
