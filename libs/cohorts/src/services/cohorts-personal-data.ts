import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@hocso/identity';

/**
 * Registers the cohorts' personal data with "export / erase my data" (Law 91/2025/QH15): cohort
 * memberships with attendance, trainer qualifications and the cohorts the person led. Erasure takes
 * them out of open cohorts and staff lists and clears free text; the pseudonymous rows (membership,
 * attendance minutes, qualification) stay so the cascade and KPI counts remain true — the account
 * itself is anonymised by identity.
 */
@Injectable()
export class CohortsPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register({
      section: 'cohorts',
      export: async (userId, em) => {
        const memberships: Array<Record<string, unknown>> = await em.query(
          `SELECT c.id AS cohort_id, c.title, c.kind, to_char(c.starts_on, 'YYYY-MM-DD') AS starts_on,
                  to_char(c.ends_on, 'YYYY-MM-DD') AS ends_on, m.status, m.source, m.joined_at,
                  m.outcome, m.outcome_reasons, m.practicum_status, m.practicum_note
             FROM cohort_member m JOIN cohort c ON c.id = m.cohort_id WHERE m.user_id = $1 ORDER BY m.joined_at`,
          [userId],
        );
        const attendance: Array<Record<string, unknown>> = await em.query(
          `SELECT a.cohort_id, s.starts_at, a.status, a.minutes FROM cohort_attendance a
             JOIN cohort_session s ON s.id = a.session_id WHERE a.user_id = $1 ORDER BY s.starts_at`,
          [userId],
        );
        const qualifications: Array<Record<string, unknown>> = await em.query(
          `SELECT level, basis, to_char(granted_on, 'YYYY-MM-DD') AS granted_on,
                  to_char(expires_on, 'YYYY-MM-DD') AS expires_on, cohort_id, revoked_at
             FROM trainer_qualification WHERE user_id = $1 ORDER BY granted_on`,
          [userId],
        );
        const [profile] = await em.query(`SELECT source FROM trainer_profile WHERE user_id = $1`, [userId]);
        const led: Array<Record<string, unknown>> = await em.query(
          `SELECT id, title, kind, status FROM cohort WHERE lead_trainer_id = $1 ORDER BY created_at`,
          [userId],
        );
        return {
          memberships: memberships.map((m) => ({
            ...m,
            attendance: attendance.filter((a) => a.cohort_id === m.cohort_id),
          })),
          trainer: profile ? { source: profile.source, qualifications, cohortsLed: led } : null,
        };
      },
      erase: async (userId, em) => {
        await em.query(
          `UPDATE cohort_member SET status = 'removed', left_at = now(), updated_at = now()
            WHERE user_id = $1 AND status IN ('active', 'waitlisted')
              AND cohort_id IN (SELECT id FROM cohort WHERE status IN ('planned', 'running'))`,
          [userId],
        );
        await em.query(`UPDATE cohort_member SET practicum_note = NULL WHERE user_id = $1`, [userId]);
        await em.query(`DELETE FROM cohort_staff WHERE user_id = $1`, [userId]);
        await em.query(`DELETE FROM trainer_profile WHERE user_id = $1`, [userId]);
      },
    });
  }
}
