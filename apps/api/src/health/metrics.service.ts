import { Injectable } from '@nestjs/common';
import { jobMetricsRegistry } from '@hocso/queue';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics: process defaults, request duration by method, route and status, and (when
 * the api runs the consumers) failed jobs by queue, name and reason — the stalled-job alert.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'hocso_http_request_duration_seconds',
    help: 'HTTP request duration in seconds',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hocso_' });
  }

  observe(method: string, route: string, status: number, seconds: number) {
    this.httpDuration.labels(method, route, String(status)).observe(seconds);
  }

  render(): Promise<string> {
    return Registry.merge([this.registry, jobMetricsRegistry]).metrics();
  }
}
