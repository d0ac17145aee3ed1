export * from './embed.exception';
export * from './embed.module';
export * from './entities/integrator.entity';
export * from './services/content-rate-limit';
export * from './services/embed-content.service';
export * from './services/integrators.service';
export * from './services/origins';
export * from './services/xapi-export.service';
