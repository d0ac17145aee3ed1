import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '@hocso/identity';

/**
 * LTI in "export / erase my data": export lists the platform identities, resource links launched
 * and score passbacks; erasure drops the mapping (a later launch makes a fresh account), the links,
 * scores and open deep-linking sessions.
 */
@Injectable()
export class LtiPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit() {
    this.registry.register({
      section: 'lti',
      export: async (userId, em) => ({
        identities: await em.query(
          `SELECT p.issuer, p.client_id, m.sub, m.created_at, m.last_launch_at
             FROM lti_user m JOIN lti_platform p ON p.id = m.platform_id WHERE m.user_id = $1 ORDER BY m.created_at`,
          [userId],
        ),
        resourceLinks: await em.query(
          `SELECT p.issuer, l.resource_link_id, l.context_title, l.title, l.course_slug, l.lesson_id,
                  lu.platform_user_id, lu.created_at, lu.last_launch_at
             FROM lti_resource_link_user lu
             JOIN lti_resource_link l ON l.id = lu.resource_link_id
             JOIN lti_platform p ON p.id = l.platform_id
            WHERE lu.user_id = $1 ORDER BY lu.created_at`,
          [userId],
        ),
        scores: await em.query(
          `SELECT s.enrollment_id, s.score_given, s.score_maximum, s.status, s.sent_at
             FROM lti_score s JOIN lti_resource_link_user lu ON lu.id = s.resource_link_user_id
            WHERE lu.user_id = $1 ORDER BY s.created_at`,
          [userId],
        ),
      }),
      erase: async (userId, em) => {
        await em.query(`DELETE FROM lti_resource_link_user WHERE user_id = $1`, [userId]);
        await em.query(`DELETE FROM lti_deep_link_session WHERE user_id = $1`, [userId]);
        await em.query(`DELETE FROM lti_user WHERE user_id = $1`, [userId]);
      },
    });
  }
}
