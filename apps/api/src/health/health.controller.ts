import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { QueueService } from '@hocso/queue';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../http/auth/auth.decorators';
import { MetricsService } from './metrics.service';

@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueService,
    private readonly metrics: MetricsService,
  ) {}

  /** The process is up (for restarts). */
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** The process can serve: database answers and the queue backend answers (for load balancers). */
  @Get('health/ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const started = Date.now();
    const database = await this.dataSource
      .query('SELECT 1')
      .then(() => ({ ok: true, latencyMs: Date.now() - started }))
      .catch((err: Error) => ({ ok: false, error: err.message }));
    const queue = await this.queues.health();
    const ok = database.ok && queue.ok;
    reply.status(ok ? 200 : 503);
    if (!ok) reply.header('Retry-After', '5');
    return { status: ok ? 'ok' : 'unavailable', checks: { database, queue } };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metricsText(): Promise<string> {
    return this.metrics.render();
  }
}
