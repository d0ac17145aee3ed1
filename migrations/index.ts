import type { MigrationInterface } from 'typeorm';
import { CreateIdentity1764230400000 } from './1764230400000-CreateIdentity';
import { CreateCourses1795765113441 } from './1795765113441-CreateCourses';
import { CreateLearning1795767027547 } from './1795767027547-CreateLearning';
import { CreateWorkforce1795768800000 } from './1795768800000-CreateWorkforce';
import { CreateAccountInvitations1795772400000 } from './1795772400000-CreateAccountInvitations';
import { CreateCohorts1795772500000 } from './1795772500000-CreateCohorts';
import { CreateCertification1795776000000 } from './1795776000000-CreateCertification';
import { CreateEmbed1795777000000 } from './1795777000000-CreateEmbed';
import { CreateLti1795778000000 } from './1795778000000-CreateLti';
import { CreateReporting1795779000000 } from './1795779000000-CreateReporting';
import { PerformanceIndexes1795779100000 } from './1795779100000-PerformanceIndexes';
import { TrainingReportSequence1795779200000 } from './1795779200000-TrainingReportSequence';

/** Every migration, oldest first. `npm run migration:generate -- Name` appends here. */
export const ALL_MIGRATIONS: Array<new () => MigrationInterface> = [
  CreateIdentity1764230400000,
  CreateCourses1795765113441,
  CreateLearning1795767027547,
  CreateWorkforce1795768800000,
  CreateAccountInvitations1795772400000,
  CreateCohorts1795772500000,
  CreateCertification1795776000000,
  CreateEmbed1795777000000,
  CreateLti1795778000000,
  CreateReporting1795779000000,
  PerformanceIndexes1795779100000,
  TrainingReportSequence1795779200000,
];
