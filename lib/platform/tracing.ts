import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type TracerProvider } from '@opentelemetry/api';

/**
 * OpenTelemetry traces, on only when an OTLP endpoint is configured: a server span for each request a process
 * answers, continued from the caller's `traceparent`, and a client span for each gateway call to a subgraph, so one
 * trace shows a request across the gateway and the subgraphs. Span attributes name services, operations and
 * statuses only, never a value of the request.
 */
let provider: (TracerProvider & { shutdown(): Promise<void> }) | undefined;
const tracer = () => trace.getTracer('renkei');

/** Loads the SDK only when an endpoint is configured: unused, it would be some 10 MB of every process. */
export async function initTracing(endpoint: string | undefined, serviceName: string): Promise<void> {
  if (!endpoint || provider) return;
  const [
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BasicTracerProvider, BatchSpanProcessor },
  ] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  if (provider) return;
  provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }), { scheduledDelayMillis: 500 })],
  });
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/** Sends the spans still buffered and switches tracing off (process shutdown, tests). */
export async function shutdownTracing(): Promise<void> {
  if (!provider) return;
  await provider.shutdown();
  provider = undefined;
  trace.disable();
  propagation.disable();
  context.disable();
}

export const tracingOn = () => provider !== undefined;

/**
 * Runs `handle` inside a server span for the request. The request's own headers are given the span's context, so
 * whatever the handler forwards downstream carries this span as the parent.
 */
export function traceRequest<T>(service: string, req: IncomingMessage, res: ServerResponse, handle: () => Promise<T>): Promise<T> {
  if (!provider) return handle();
  const parent = propagation.extract(context.active(), req.headers);
  const path = (req.url ?? '/').split('?')[0];
  const span = tracer().startSpan(
    `${req.method} ${path}`,
    { kind: SpanKind.SERVER, attributes: { 'renkei.service': service, 'http.request.method': req.method ?? 'GET', 'url.path': path } },
    parent,
  );
  res.once('close', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  const active = trace.setSpan(parent, span);
  delete req.headers.traceparent;
  delete req.headers.tracestate;
  propagation.inject(active, req.headers as Record<string, unknown>);
  return context.with(active, handle);
}

/** The W3C trace headers of a request's headers, to pass on to the next hop. */
export function traceHeaders(headers: IncomingHttpHeaders | { get(name: string): string | null }): Record<string, string> {
  // Read by shape: the gateway runtime's Headers class is not the global one.
  const get = (n: string) =>
    typeof headers.get === 'function' ? (headers as { get(name: string): string | null }).get(n) : ((headers as IncomingHttpHeaders)[n] as string | undefined);
  const out: Record<string, string> = {};
  for (const n of ['traceparent', 'tracestate']) {
    const v = get(n);
    if (v) out[n] = v;
  }
  return out;
}

/** A client span around one call to a subgraph; `end` with the outcome. */
export function startSubgraphSpan(subgraph: string, operation: string | undefined): { end(ok: boolean): void } {
  if (!provider) return { end: () => {} };
  const span: Span = tracer().startSpan(`subgraph ${subgraph}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'renkei.subgraph': subgraph, ...(operation ? { 'graphql.operation.name': operation } : {}) },
  });
  return {
    end(ok) {
      if (!ok) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

/** The operation's name on the active server span, once the gateway knows it. */
export function nameActiveOperation(operation: string | null): void {
  if (provider && operation) trace.getActiveSpan()?.setAttribute('graphql.operation.name', operation);
}
