export * from './actor';
export * from './csv';
export * from './domain.exception';
export * from './local-time';
export * from './text';
export * from './outbound-url';
export * from './limiter-redis';
