import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Each library that keeps personal data registers a contributor, so "export my data" and "erase my
 * data" (Law 91/2025/QH15) always cover every table, including those added by later features.
 */
export interface PersonalDataContributor {
  /** Key of this section in the export document, e.g. "enrollments". */
  section: string;
  export(userId: string, em: EntityManager): Promise<unknown>;
  /** Delete or anonymise this section's rows, keeping only what aggregate counts need. */
  erase(userId: string, em: EntityManager): Promise<void>;
}

@Injectable()
export class PersonalDataRegistry {
  private readonly contributors = new Map<string, PersonalDataContributor>();

  register(contributor: PersonalDataContributor): void {
    if (this.contributors.has(contributor.section)) {
      throw new Error(`personal-data section "${contributor.section}" registered twice`);
    }
    this.contributors.set(contributor.section, contributor);
  }

  all(): PersonalDataContributor[] {
    return [...this.contributors.values()];
  }
}
