export * from './services';
export * from './session';
export * from './test-app';
export * from './jobs';
export * from './describe-with-services';
