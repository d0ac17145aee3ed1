import type { MigrationInterface } from 'typeorm';
import { CreateIdentity1764230400000 } from './1764230400000-CreateIdentity';

/** Every migration, oldest first. `npm run migration:generate -- Name` appends here. */
export const ALL_MIGRATIONS: Array<new () => MigrationInterface> = [CreateIdentity1764230400000];
