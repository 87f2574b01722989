import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '../log.js';
import { secondsSince, type ServiceMetrics } from '../metrics.js';

/**
 * Counts and times every request an Apollo Server answers, and logs one line per request: the request id, the
 * operation's name, the outcome and the time taken. Nothing of the variables or the answer.
 */
export function requestMetricsPlugin<C extends BaseContext>(
  metrics: ServiceMetrics,
  log: Logger,
  requestIdOf: (c: C) => string | undefined,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const start = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, response, contextValue }) {
          const ok = response.body.kind === 'single' && !response.body.singleResult.errors?.length;
          const seconds = secondsSince(start);
          metrics.observeRequest(operationName, ok, seconds);
          log.info('request', {
            requestId: contextValue ? requestIdOf(contextValue) : undefined,
            operation: operationName ?? null,
            ok,
            ms: Math.round(seconds * 1000),
          });
        },
      };
    },
  };
}
