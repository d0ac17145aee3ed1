import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { DataSource } from 'typeorm';
import { LtiDeepLinkSessionEntity, LtiPlatformEntity } from '../entities/lti.entities';
import { embedUrl, LTI, LTI_VERSION, LtiMessageType } from '../lti-claims';
import { LtiException, LtiExceptionCode } from '../lti.exception';
import { LtiCatalogue, type PickerItem } from './lti-catalogue';
import { LtiKeys } from './lti-keys.service';

/** A tool-signed deep-linking response lives this long (the browser posts it at once). */
const RESPONSE_TTL_SECONDS = 300;
const MAX_ITEMS = 50;

export interface ContentItem {
  type: 'ltiResourceLink';
  title: string;
  text?: string;
  url: string;
  custom: Record<string, string>;
  lineItem?: { scoreMaximum: number; label: string; resourceId: string };
  iframe?: { width: number; height: number };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const rows = <T>(result: unknown): T[] =>
  (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];

/**
 * Deep Linking 2.0, the answer: the picker posts back its single-use session token and the chosen
 * items; the return URL, `data` and deployment come from the verified launch (never from the form).
 * The `LtiDeepLinkingResponse` JWT is signed with the tool key (iss = client_id, aud = platform).
 */
@Injectable()
export class LtiDeepLinkingService {
  private readonly logger = new Logger('Lti');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalogue: LtiCatalogue,
    private readonly keys: LtiKeys,
  ) {}

  async respond(
    sessionToken: unknown,
    choices: string[],
    options: { gradable: boolean },
  ): Promise<{ returnUrl: string; jwt: string; contentItems: ContentItem[] }> {
    if (typeof sessionToken !== 'string' || !/^[A-Za-z0-9_-]{20,100}$/.test(sessionToken)) {
      throw new LtiException(LtiExceptionCode.LTI_DEEP_LINKING_SESSION_INVALID, { field: 'token' });
    }
    const hash = sha256(sessionToken);
    const session = await this.ds.getRepository(LtiDeepLinkSessionEntity).findOneBy({ tokenHash: hash });
    if (!session || session.usedAt || session.expiresAt.getTime() <= Date.now()) {
      this.logger.warn({ event: 'lti.rejected', code: LtiExceptionCode.LTI_DEEP_LINKING_SESSION_INVALID });
      throw new LtiException(LtiExceptionCode.LTI_DEEP_LINKING_SESSION_INVALID, { field: 'token' });
    }
    const refs = [...new Set(choices)];
    if (refs.length > MAX_ITEMS || (!session.acceptMultiple && refs.length > 1)) {
      throw new LtiException(LtiExceptionCode.LTI_DEEP_LINKING_TOO_MANY, { field: 'item' });
    }
    const items: PickerItem[] = [];
    for (const ref of refs) {
      const item = await this.catalogue.item(ref);
      if (!item) throw new LtiException(LtiExceptionCode.LTI_DEEP_LINKING_ITEM_UNKNOWN, { field: 'item' });
      items.push(item);
    }
    // Spend the session (a second post of the same picker — or a concurrent one — gets nothing).
    const spent = rows<{ token_hash: string }>(
      await this.ds.query(
        `UPDATE lti_deep_link_session SET used_at = now()
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING token_hash`,
        [hash],
      ),
    );
    if (!spent.length) throw new LtiException(LtiExceptionCode.LTI_DEEP_LINKING_SESSION_INVALID, { field: 'token' });
    const platform = await this.ds.getRepository(LtiPlatformEntity).findOneByOrFail({ id: session.platformId });

    const publicUrl = this.config.http.publicUrl;
    const contentItems: ContentItem[] = items.map((item) => {
      const title =
        item.kind === 'course'
          ? item.title.vi
          : `${item.title.vi} — ${(item as { courseTitle: { vi: string } }).courseTitle.vi}`;
      const out: ContentItem = {
        type: 'ltiResourceLink',
        title,
        url: embedUrl(
          publicUrl,
          item.kind === 'course' ? { kind: 'course', slug: item.slug } : { kind: 'lesson', lessonId: item.lessonId },
        ),
        custom: item.kind === 'course' ? { hocso_course: item.slug } : { hocso_lesson: item.lessonId },
      };
      if (item.kind === 'course' && item.summary.vi) out.text = item.summary.vi;
      if (options.gradable && session.acceptLineItem) {
        out.lineItem = {
          scoreMaximum: 100,
          label: title,
          resourceId: item.kind === 'course' ? `course:${item.slug}` : `lesson:${item.lessonId}`,
        };
      }
      if (session.acceptIframe) out.iframe = { width: 960, height: 720 };
      return out;
    });

    const jwt = await this.keys.sign(
      {
        nonce: randomUUID(),
        [LTI.messageType]: LtiMessageType.DeepLinkingResponse,
        [LTI.version]: LTI_VERSION,
        [LTI.deploymentId]: session.deploymentId,
        [LTI.contentItems]: contentItems,
        ...(session.data !== null ? { [LTI.data]: JSON.parse(session.data) } : {}),
      },
      { issuer: platform.clientId, audience: platform.issuer, ttlSeconds: RESPONSE_TTL_SECONDS },
    );
    this.logger.log({
      event: 'lti.deep_linking.response',
      platformId: platform.id,
      userId: session.userId,
      items: contentItems.length,
    });
    return { returnUrl: session.returnUrl, jwt, contentItems };
  }
}
