export * from './actor';
export * from './domain.exception';
export * from './text';
