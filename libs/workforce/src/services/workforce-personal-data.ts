import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@hocso/identity';

/**
 * Registers workforce's personal data with "export / erase my data" (Law 91/2025/QH15): the
 * worker records linked to the account (enterprise, worker code, name on the roster) and their
 * weekly minutes. Erasure unlinks the account and clears the roster name; the enterprise's
 * anonymous session rows stay, so its past compliance figures remain true.
 */
@Injectable()
export class WorkforcePersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register({
      section: 'workforce',
      export: async (userId, em) => {
        const workers: Array<{
          id: string;
          enterprise_id: string;
          enterprise: string;
          worker_code: string;
          display_name: string | null;
          linked_at: Date | null;
        }> = await em.query(
          `SELECT w.id, w.enterprise_id, o.name AS enterprise, w.worker_code, w.display_name, w.linked_at
           FROM worker w JOIN org_unit o ON o.id = w.enterprise_id WHERE w.user_id = $1 ORDER BY w.linked_at`,
          [userId],
        );
        const minutes: Array<{ worker_id: string; iso_week: string; minutes: number; covered: boolean }> =
          workers.length === 0
            ? []
            : await em.query(
                `SELECT worker_id, iso_week, minutes, covered FROM weekly_worker_minutes
                 WHERE worker_id = ANY($1::uuid[]) ORDER BY iso_week`,
                [workers.map((w) => w.id)],
              );
        return workers.map((w) => ({
          enterpriseId: w.enterprise_id,
          enterprise: w.enterprise,
          workerCode: w.worker_code,
          displayName: w.display_name,
          linkedAt: w.linked_at ? new Date(w.linked_at).toISOString() : null,
          weeks: minutes
            .filter((m) => m.worker_id === w.id)
            .map((m) => ({ isoWeek: m.iso_week, minutes: m.minutes, covered: m.covered })),
        }));
      },
      erase: async (userId, em) => {
        await em.query(`UPDATE worker_invitation SET accepted_by = NULL WHERE accepted_by = $1`, [userId]);
        await em.query(
          `UPDATE worker SET user_id = NULL, linked_at = NULL, display_name = NULL, updated_at = now() WHERE user_id = $1`,
          [userId],
        );
      },
    });
  }
}
