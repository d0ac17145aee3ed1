export enum Role {
  Learner = 'learner',
  Official = 'official',
  Trainer = 'trainer',
  MasterTrainer = 'master_trainer',
  EnterpriseManager = 'enterprise_manager',
  Integrator = 'integrator',
  ContentEditor = 'content_editor',
  OrgAdmin = 'org_admin',
  ProvinceAdmin = 'province_admin',
}

export const ALL_ROLES = Object.values(Role);
export const ADMIN_ROLES: readonly Role[] = [Role.OrgAdmin, Role.ProvinceAdmin];

export interface UserActor {
  kind: 'user';
  userId: string;
  roles: Role[];
  orgUnitId: string | null;
  /** materialized path of the actor's org unit ("/<id>/<id>/"), or null */
  orgPath: string | null;
  locale: 'vi' | 'en';
}

export interface ApiKeyActor {
  kind: 'api_key';
  apiKeyId: string;
  orgUnitId: string;
  orgPath: string;
  scopes: string[];
}

/** Who is asking. Every service method takes it first. */
export type Actor = UserActor | ApiKeyActor;

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.kind === 'user' && actor.roles.some((r) => roles.includes(r));
}
