export * from './job-handler.decorator';
export * from './job-payloads';
export * from './job-runner';
export * from './queue-backend';
export * from './queue-name.enum';
export * from './queue.module';
export * from './queue.service';
export * from './queue.tokens';
