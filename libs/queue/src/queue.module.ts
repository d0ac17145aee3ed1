import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { resolveDatabaseUrl } from '@hocso/database';
import { QueueBackend } from './queue-backend';
import { QueueService } from './queue.service';
import { QUEUE_BACKEND } from './queue.tokens';

@Global()
@Module({
  providers: [
    {
      provide: QUEUE_BACKEND,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) =>
        config.redis.url
          ? new QueueBackend('redis', { redisUrl: config.redis.url, prefix: config.redis.prefix })
          : new QueueBackend('postgres', {
              postgresUrl: await resolveDatabaseUrl(config),
              prefix: config.redis.prefix,
              // embedded PGlite (no DATABASE_URL): one physical queue, one worker
              singleQueue: !config.db.url,
            }),
    },
    QueueService,
  ],
  exports: [QUEUE_BACKEND, QueueService],
})
export class QueueModule {}
