import { Agent } from 'node:http';
import { postOver } from '../support/load.js';

/** One answer of the gateway as the soak sees it: the status, the parsed body, or why there was none. */
export interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message?: string; extensions?: { code?: string } }[] } | null;
  /** A transport failure (refused, reset, timed out, unreadable body); status is 0 then. */
  error: string | null;
  ms: number;
}

/** What became of one request, worst first; `userError` is a refusal in the mutation's payload. */
export type Verdict = { cls: 'ok' } | { cls: 'transport' | '5xx' | '4xx' | 'graphql' | 'userError'; detail: string };

/**
 * POSTs over node:http with keep-alive connections, as light on the load generator as bench/support/load.ts's
 * keepAlivePost, but keeping the status and the body: the soak counts 5xx, GraphQL errors and refusals apart instead
 * of failing at the first. A request not answered in 30 s is a transport error.
 */
export function soakClient(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  const post = async (headers: Record<string, string>, body: string): Promise<Answer> => {
    const started = performance.now();
    let answer: { status: number; text: string };
    try {
      answer = await postOver(agent, target, headers, body, 30_000);
    } catch (e) {
      return { status: 0, body: null, error: (e as Error).message, ms: performance.now() - started };
    }
    const ms = performance.now() - started;
    try {
      return { status: answer.status, body: JSON.parse(answer.text) as Answer['body'], error: null, ms };
    } catch {
      // A 5xx page or a cut body: the status says which; only a 200 with no JSON is the transport's fault.
      return { status: answer.status, body: null, error: answer.status === 200 ? `unparsable body: ${answer.text.slice(0, 120)}` : null, ms };
    }
  };
  return { post, close: () => agent.destroy() };
}

const codesOf = (errors: { message?: string; extensions?: { code?: string } }[]) =>
  errors.map((e) => e.extensions?.code ?? e.message?.slice(0, 80) ?? '?').join(',');

/**
 * Judges an answer: `field` is the root field the operation asks for; a mutation's payload carries `userErrors`.
 * A 200 whose root field is null or missing is a GraphQL error even without `errors`.
 */
export function judge(a: Answer, field: string): Verdict {
  if (a.error) return { cls: 'transport', detail: a.error };
  if (a.status >= 500) return { cls: '5xx', detail: `${a.status}${a.body?.errors ? ` ${codesOf(a.body.errors)}` : ''}` };
  if (a.status !== 200) return { cls: '4xx', detail: `${a.status}${a.body?.errors ? ` ${codesOf(a.body.errors)}` : ''}` };
  if (a.body?.errors?.length) return { cls: 'graphql', detail: codesOf(a.body.errors) };
  const root = a.body?.data?.[field] as { userErrors?: { code: string }[] } | null | undefined;
  if (root == null) return { cls: 'graphql', detail: `${field} is null` };
  if (root.userErrors?.length) return { cls: 'userError', detail: root.userErrors.map((e) => e.code).join(',') };
  return { cls: 'ok' };
}
