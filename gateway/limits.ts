import { costLimitPlugin, costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin, maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin, maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode, type FragmentDefinitionNode, type ValidationContext } from 'graphql';
import type { Config } from '../lib/platform/config.js';
import { HOLDER_ID_COST, holderIdsRequested, MAX_HOLDER_IDS_PER_REQUEST } from '../lib/platform/graphql/holder-ids.js';

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

const COST = { ignoreIntrospection: true, flattenFragments: true } as const;

/**
 * The cost graphql-armor's limit gives an operation: its own rule, run over the document with no limit and its
 * accepted cost noted (the rule reads nothing of the schema, only the document's fragments).
 */
function armorCost(document: DocumentNode, operationName: string | null | undefined): number {
  const costs: number[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const context = { getFragment: (name: string) => fragments.get(name) } as unknown as ValidationContext;
  visit(document, costLimitRule({ ...COST, maxCost: Number.MAX_SAFE_INTEGER, onAccept: [(_ctx, { n }: { n: number }) => costs.push(n)] })(context));
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const index = operationName ? operations.findIndex((o) => o.name?.value === operationName) : 0;
  return costs[Math.max(0, index)] ?? 0;
}

/**
 * The ids of every `holders` field of a request together: at most MAX_HOLDER_IDS_PER_REQUEST, and each weighing
 * HOLDER_ID_COST in the cost limit beside what graphql-armor counts — literal lists and variables' values alike, so
 * it runs where the variables are known (at execution, after validation). Without it, 15 aliases of 500 ids each
 * passed as a cheap request of 7,500 holders. Too many ids is INVALID_INPUT naming the argument, as the driver
 * answers one field of too many; too costly is the cost limit's own refusal.
 */
export function holderIdsRefusal(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: Pick<Limits, 'LIMIT_MAX_COST'>,
): GraphQLError | null {
  const ids = holderIdsRequested(document, operationName, variables);
  if (ids === 0) return null;
  if (ids > MAX_HOLDER_IDS_PER_REQUEST) {
    return new GraphQLError(`argument "ids" must hold at most ${MAX_HOLDER_IDS_PER_REQUEST} ids over all holders fields of a request`, {
      extensions: { code: 'INVALID_INPUT', argument: 'ids', http: { status: 200 } },
    });
  }
  if (armorCost(document, operationName) + ids * HOLDER_ID_COST > limits.LIMIT_MAX_COST) {
    return new GraphQLError(LIMIT_MESSAGE, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
  }
  return null;
}

/** For the Hive runtime (envelop plugins); field suggestions are blocked in production. */
export function limitPlugins(limits: Limits, production: boolean) {
  return [
    // Counted while parsing, before any validation: a refused document is a syntax error.
    maxTokensPlugin({ exposeLimits: false, errorMessage: LIMIT_MESSAGE, n: limits.LIMIT_MAX_TOKENS }),
    maxDepthPlugin({ ...common, n: limits.LIMIT_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesPlugin({ ...common, n: limits.LIMIT_MAX_ALIASES }),
    costLimitPlugin({ ...common, ...COST, maxCost: limits.LIMIT_MAX_COST }),
    {
      onExecute({
        args,
        setResultAndStopExecution,
      }: {
        args: { document: DocumentNode; operationName?: string | null; variableValues?: Record<string, unknown> | null };
        setResultAndStopExecution: (r: { errors: GraphQLError[] }) => void;
      }) {
        const refused = holderIdsRefusal(args.document, args.operationName, args.variableValues, limits);
        if (refused) setResultAndStopExecution({ errors: [refused] });
      },
    },
    ...(production ? [blockFieldSuggestionsPlugin({ mask: '' })] : []),
  ];
}

/** The holder ids' limit on @apollo/gateway: refused once the operation is known, before it is planned. */
export function holderIdsApolloPlugin<C extends object>(limits: Pick<Limits, 'LIMIT_MAX_COST'>): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, request }) {
          const refused = holderIdsRefusal(document, operationName, request.variables, limits);
          if (refused) throw refused;
        },
      };
    },
  };
}

/** The same limits as validation rules, for @apollo/gateway (tokens are counted by the Hive engine only). */
export function limitRules(limits: Limits) {
  return [
    maxDepthRule({ ...common, n: limits.LIMIT_MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesRule({ ...common, n: limits.LIMIT_MAX_ALIASES }),
    costLimitRule({ ...common, ...COST, maxCost: limits.LIMIT_MAX_COST }),
  ];
}
