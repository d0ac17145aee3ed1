export * from './base.entity';
export * from './data-source-options';
export * from './database.module';
export * from './embedded-postgres';
export * from './migrate';
export * from './pagination';
export * from './snake-naming.strategy';
export * from './idempotency/idempotency-key.entity';
