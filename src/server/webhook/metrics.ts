/** The webhook receiver's Prometheus series. Labels are closed sets: never a URL, a ref or a header value. */
import { Counter, Gauge, Registry } from 'prom-client';
import type { CoalesceOutcome } from '../../controller/refresh-coalescer.js';
import type { WebhookProvider } from './types.js';

export class WebhookMetrics {
  private readonly requests: Counter<'provider' | 'code'>;
  private readonly refreshes: Counter<'outcome'>;
  private readonly displaced: Counter;
  private readonly dropped: Counter;
  private readonly readers: Gauge;
  private readonly reserved: Gauge;

  constructor(registry = new Registry()) {
    const registers = [registry];
    this.requests = new Counter({ name: 'capstan_webhook_requests_total', help: 'Webhook requests answered, by provider ("none" when unrecognised) and HTTP status code.', labelNames: ['provider', 'code'], registers });
    this.refreshes = new Counter({ name: 'capstan_webhook_refreshes_total', help: 'Accepted pushes by what they cost: refreshed (a refresh ran), merged (into one at the end of the window), known (the commit was already found).', labelNames: ['outcome'], registers });
    this.displaced = new Counter({ name: 'capstan_webhook_displaced_total', help: 'Bodies whose reading was cut off because a new request needed the place of the idlest reader.', registers });
    this.dropped = new Counter({ name: 'capstan_webhook_connections_dropped_total', help: 'Connections closed as soon as they were accepted, because the webhook server had as many as it takes.', registers });
    this.readers = new Gauge({ name: 'capstan_webhook_body_readers', help: 'Request bodies being read now.', registers });
    this.reserved = new Gauge({ name: 'capstan_webhook_body_bytes', help: 'Bytes reserved for request bodies being read now.', registers });
  }

  answered(provider: WebhookProvider | undefined, status: number): void {
    this.requests.inc({ provider: provider ?? 'none', code: String(status) });
  }

  readonly refreshOutcome = (outcome: CoalesceOutcome): void => {
    this.refreshes.inc({ outcome });
  };

  bodyDisplaced(): void {
    this.displaced.inc();
  }

  connectionDropped(): void {
    this.dropped.inc();
  }

  bodies(readers: number, bytes: number): void {
    this.readers.set(readers);
    this.reserved.set(bytes);
  }
}
