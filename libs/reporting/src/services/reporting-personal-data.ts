import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@hocso/identity';

/**
 * Registers reporting's personal data with "export / erase my data" (Law 91/2025/QH15): where the
 * account belonged and since when. Erasure deletes that history and the authorship of KPI target
 * changes; live KPI figures leave erased accounts out, frozen snapshots keep only counts.
 */
@Injectable()
export class ReportingPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register({
      section: 'orgUnitHistory',
      export: async (userId, em) => {
        const rows: Array<{
          org_unit_id: string | null;
          name: string | null;
          valid_from: Date;
          valid_to: Date | null;
        }> = await em.query(
          `SELECT h.org_unit_id, o.name, h.valid_from, h.valid_to
               FROM user_org_unit_history h LEFT JOIN org_unit o ON o.id = h.org_unit_id
              WHERE h.user_id = $1 ORDER BY h.valid_from`,
          [userId],
        );
        return rows.map((r) => ({
          orgUnitId: r.org_unit_id,
          orgUnitName: r.name,
          from: new Date(r.valid_from).toISOString(),
          to: r.valid_to ? new Date(r.valid_to).toISOString() : null,
        }));
      },
      erase: async (userId, em) => {
        await em.query(`DELETE FROM user_org_unit_history WHERE user_id = $1`, [userId]);
        await em.query(`UPDATE kpi_definition_audit SET changed_by = NULL WHERE changed_by = $1`, [userId]);
        await em.query(`UPDATE kpi_definition SET updated_by = NULL WHERE updated_by = $1`, [userId]);
      },
    });
  }
}
