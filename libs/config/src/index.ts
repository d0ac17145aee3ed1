export * from './app-config';
export * from './config.module';
export { EnvSchema } from './env.schema';
