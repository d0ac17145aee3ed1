export * from './services';
export * from './session';
export * from './test-app';
