import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { localDate, normalizeText, Role } from '@hocso/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';
import { JobName, type JobResults, QueueService } from '@hocso/queue';
import type { JobsOptions } from 'bullmq';
import { createTransport, type Transporter } from 'nodemailer';
import { type EntityManager, IsNull, QueryFailedError, Repository } from 'typeorm';
import { AccountInvitationEntity, type InvitationDelivery } from '../entities/account-invitation.entity';
import { ConsentPurpose, ConsentRecordEntity } from '../entities/consent.entity';
import { UserEntity, UserStatus } from '../entities/user.entity';
import { IdentityException, IdentityExceptionCode } from '../identity.exception';
import { type TokenPair, AuthService } from './auth.service';
import { parseIdentifier } from './contact';
import { LoginThrottleService } from './login-throttle.service';
import { DevMessageOutbox } from './message-outbox';
import { PasswordService } from './password.service';
import { PersonalDataRegistry } from './personal-data.registry';
import { PRIVACY_NOTICE_VERSION } from './users.service';

export enum InvitationChannel {
  Email = 'email',
  Sms = 'sms',
}

export interface InvitedUserInput {
  fullName: string;
  /** already normalised (lower-case, NFC) */
  email: string | null;
  /** already E.164 (+84…) */
  phone: string | null;
  orgUnitId: string | null;
  locale?: 'vi' | 'en';
}

export interface AcceptInvitationInput {
  /** the e-mail link's token … */
  token?: string;
  /** … or the e-mail address / phone number the invitation went to, with the code */
  identifier?: string;
  code?: string;
  password: string;
  consents: { learning: boolean; [purpose: string]: boolean };
}

export interface InvitationDeliveryState {
  channel: 'email' | 'sms';
  delivery: string;
  expiresAt: Date;
  acceptedAt: Date | null;
}

/** Codes use no 0/O, 1/I/L: read aloud, typed on a phone or copied from an SMS without confusion. */
export const INVITATION_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const INVITATION_CODE_LENGTH = 8;
/** Wrong codes an invitation survives; the next one revokes it. */
export const INVITATION_MAX_FAILED_ATTEMPTS = 5;

export const INVITATION_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 5000, jitter: 0.2 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000, age: 30 * 24 * 3600 },
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A fresh code, uniform over the alphabet (31^8 ≈ 8.5·10^11). */
export function generateInvitationCode(): string {
  let code = '';
  for (let i = 0; i < INVITATION_CODE_LENGTH; i++)
    code += INVITATION_CODE_ALPHABET[randomInt(INVITATION_CODE_ALPHABET.length)];
  return code;
}

/** ABCD2345 → ABCD-2345, as shown in messages. */
export function formatInvitationCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a person typed → the canonical code, or null when it cannot be one: any case, full-width
 * characters, spaces and dashes anywhere ("abcd-2345", " ABCD 2345 ", "ＡＢＣＤ－２３４５").
 */
export function normalizeInvitationCode(input: string): string | null {
  const code = input
    .normalize('NFKC')
    .replace(/[\s\-\u2010-\u2015\u2212]/g, '')
    .toUpperCase();
  if (code.length !== INVITATION_CODE_LENGTH) return null;
  for (const c of code) if (!INVITATION_CODE_ALPHABET.includes(c)) return null;
  return code;
}

/** Stored code hash: bound to its invitation, so equal codes never share a hash. */
export function hashInvitationCode(invitationId: string, code: string): string {
  return sha256(`${invitationId}:${code}`);
}

export function hashInvitationToken(token: string): string {
  return sha256(token);
}

/** dd/MM/yyyy of an instant in Asia/Ho_Chi_Minh. */
export function formatVietnamDate(instant: Date): string {
  const [y, m, d] = localDate(instant).split('-');
  return `${d}/${m}/${y}`;
}

function sameHash(a: string | null, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

type AcceptOutcome = { kind: 'ok'; userId: string } | { kind: 'invalid' };

interface DeliveryRow {
  channel: 'email' | 'sms';
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  delivery: InvitationDelivery;
  email: string | null;
  phone: string | null;
  full_name: string;
  locale: 'vi' | 'en';
  status: UserStatus;
  has_password: boolean;
}

/**
 * Accounts created for people a trainer or admin adds to a roster: no password, and a one-time
 * invitation delivered by e-mail (link + code) or SMS (code). The secret is minted by the delivery
 * job (never in the queue), only its SHA-256 is stored, and accepting it sets the password.
 */
@Injectable()
export class AccountInvitationsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AccountInvitations');
  private transport?: Transporter;

  constructor(
    @InjectRepository(AccountInvitationEntity) private readonly invitations: Repository<AccountInvitationEntity>,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottleService,
    private readonly auth: AuthService,
    private readonly outbox: DevMessageOutbox,
    private readonly registry: PersonalDataRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // absent in the CLI, which has no queues
    @Optional() private readonly queues?: QueueService,
  ) {}

  onModuleInit() {
    this.registry.register({
      section: 'invitations',
      export: (userId, em) =>
        em.find(AccountInvitationEntity, { where: { userId }, order: { createdAt: 'ASC' } }).then((rows) =>
          rows.map((i) => ({
            channel: i.channel,
            delivery: i.delivery,
            createdAt: i.createdAt.toISOString(),
            deliveredAt: i.deliveredAt?.toISOString() ?? null,
            expiresAt: i.expiresAt.toISOString(),
            acceptedAt: i.acceptedAt?.toISOString() ?? null,
            revokedAt: i.revokedAt?.toISOString() ?? null,
          })),
        ),
      erase: async (userId, em) => {
        await em.delete(AccountInvitationEntity, { userId });
        await em.update(AccountInvitationEntity, { createdBy: userId }, { createdBy: null });
      },
    });
  }

  onModuleDestroy() {
    this.transport?.close();
  }

  /**
   * An active learner account without a password, plus its pending invitation (e-mail when there is
   * an address, else SMS). Runs in the caller's transaction; a taken e-mail or phone throws
   * IDENTITY_TAKEN and leaves that transaction usable (the insert runs under a savepoint).
   */
  async createInvitedUser(
    em: EntityManager,
    input: InvitedUserInput,
    opts: { createdBy: string | null; context: string },
  ): Promise<{ user: UserEntity; invitationId: string }> {
    if (!input.email && !input.phone) {
      throw new IdentityException(IdentityExceptionCode.CONTACT_REQUIRED, { field: 'email' });
    }
    return this.inTransaction(em, async (tx) => {
      const user = await this.underSavepoint(tx, () =>
        tx.save(
          tx.create(UserEntity, {
            email: input.email,
            phone: input.phone,
            passwordHash: null,
            fullName: normalizeText(input.fullName),
            locale: input.locale ?? 'vi',
            orgUnitId: input.orgUnitId,
            birthYear: null,
            roles: [Role.Learner],
            status: UserStatus.Active,
          }),
        ),
      );
      delete (user as Partial<UserEntity>).passwordHash;
      const invitationId = await this.insertInvitation(tx, user, opts);
      return { user, invitationId };
    });
  }

  /**
   * A new invitation for a user who has not set a password yet; their older unaccepted ones are
   * revoked. Null when the user already has a password. USER_NOT_FOUND for no such active user.
   */
  async reinvite(
    em: EntityManager,
    userId: string,
    opts: { createdBy: string | null; context: string },
  ): Promise<string | null> {
    return this.inTransaction(em, async (tx) => {
      const user = await tx
        .createQueryBuilder(UserEntity, 'u')
        .addSelect('u.passwordHash')
        .setLock('pessimistic_write')
        .where('u.id = :userId', { userId })
        .getOne();
      if (!user || user.status !== UserStatus.Active) {
        throw new IdentityException(IdentityExceptionCode.USER_NOT_FOUND);
      }
      if (user.passwordHash) return null;
      await tx.update(
        AccountInvitationEntity,
        { userId, acceptedAt: IsNull(), revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
      return this.insertInvitation(tx, user, opts);
    });
  }

  /**
   * After the caller's commit: one delivery job per invitation (jobId = invitation id). Never
   * throws; what could not be queued is logged (the trainer can re-invite).
   */
  async queueDelivery(invitationIds: string[]): Promise<void> {
    if (invitationIds.length === 0) return;
    if (!this.queues) {
      this.logger.warn(`no queue in this process: ${invitationIds.length} invitation(s) not queued`);
      return;
    }
    // In chunks; once the backend stops answering, the rest are reported rather than each timing out.
    for (let i = 0; i < invitationIds.length; i += 50) {
      const chunk = invitationIds.slice(i, i + 50);
      const results = await Promise.all(chunk.map((id) => this.addJob(id)));
      if (results.includes(false)) {
        const skipped = invitationIds.length - i - chunk.length;
        if (skipped > 0) this.logger.warn(`queue failing: ${skipped} more invitation(s) not queued`);
        return;
      }
    }
  }

  /** The delivery job: mints the secret, stores its hashes, sends it. */
  async deliver(invitationId: string): Promise<JobResults[JobName.DeliverInvitation]> {
    const [row]: DeliveryRow[] = await this.invitations.manager.query(
      `SELECT i.channel, i.expires_at, i.accepted_at, i.revoked_at, i.delivery, u.email, u.phone, u.full_name,
              u.locale, u.status, (u.password_hash IS NOT NULL) AS has_password
       FROM account_invitation i JOIN app_user u ON u.id = i.user_id WHERE i.id = $1`,
      [invitationId],
    );
    if (!row) return { status: 'skipped', channel: null };
    const channel = row.channel;
    const to = channel === InvitationChannel.Email ? row.email : row.phone;
    const done = row.delivery === 'sent' || row.delivery === 'logged' || row.delivery === 'not_sent';
    if (
      done ||
      row.accepted_at ||
      row.revoked_at ||
      new Date(row.expires_at).getTime() <= Date.now() ||
      row.status !== UserStatus.Active ||
      row.has_password ||
      !to
    ) {
      return { status: 'skipped', channel };
    }

    const transport = channel === InvitationChannel.Email ? this.mailer() : undefined;
    const hasTransport = channel === InvitationChannel.Email ? !!transport : !!this.config.sms.gatewayUrl;
    if (!hasTransport && this.config.env === 'production') {
      // No secret is minted, so none can leak; the row tells the trainer it was not sent.
      await this.mark(invitationId, 'not_sent');
      this.logger.warn({ event: 'invitation.not_sent', invitation: invitationId, channel, reason: 'no transport' });
      return { status: 'not_sent', channel };
    }

    const code = generateInvitationCode();
    const token = channel === InvitationChannel.Email ? randomBytes(32).toString('base64url') : null;
    const minted = await this.invitations
      .createQueryBuilder()
      .update(AccountInvitationEntity)
      .set({ tokenHash: token ? hashInvitationToken(token) : null, codeHash: hashInvitationCode(invitationId, code) })
      .where('id = :id AND accepted_at IS NULL AND revoked_at IS NULL', { id: invitationId })
      .execute();
    if (!minted.affected) return { status: 'skipped', channel };

    const message = this.compose(row, formatInvitationCode(code), token);
    if (!hasTransport) {
      this.outbox.add({ channel, to, text: message.text });
      await this.mark(invitationId, 'logged');
      return { status: 'logged', channel };
    }
    try {
      if (transport) {
        await transport.sendMail({ from: this.config.mail.from, to, subject: message.subject, text: message.text });
      } else {
        await this.sendSms(to, message.text);
      }
    } catch (err) {
      await this.mark(invitationId, 'failed');
      // The transport's own message may quote the recipient: keep personal data out of the job's record.
      const reason = (err as { code?: string }).code ?? (err as Error).name;
      this.logger.warn({ event: 'invitation.failed', invitation: invitationId, channel, reason });
      throw new Error(`invitation ${invitationId}: ${channel} delivery failed (${reason})`);
    }
    await this.mark(invitationId, 'sent');
    return { status: 'sent', channel };
  }

  /**
   * Sets the password of an invited account from the link's token, or from the e-mail/phone and
   * code. Every lookup failure answers INVITATION_INVALID, whether or not the account exists.
   */
  async accept(input: AcceptInvitationInput, ip: string): Promise<{ user: UserEntity; tokens: TokenPair }> {
    if (input.consents?.[ConsentPurpose.Learning] !== true) {
      throw new IdentityException(IdentityExceptionCode.CONSENT_REQUIRED, { field: 'consents.learning' });
    }
    const password = this.passwords.assertAcceptable(input.password);
    const token = input.token?.trim() || null;
    let accountKey: string;
    let parsed: ReturnType<typeof parseIdentifier> = null;
    if (token) {
      // only the per-IP brake really applies: a 256-bit token cannot be guessed
      accountKey = `invitation:${hashInvitationToken(token).slice(0, 32)}`;
    } else {
      const identifier = input.identifier ?? '';
      parsed = parseIdentifier(identifier);
      // the same key as sign-in: code guesses and password guesses share one budget per account
      accountKey = parsed ? `${parsed.column}:${parsed.value}` : `raw:${identifier.trim().toLowerCase()}`;
    }
    await this.throttle.assertAllowed(accountKey, ip);
    // Hashed before the lookup, so a valid and an invalid attempt take the same time.
    const passwordHash = await this.passwords.hash(password);
    const outcome = await this.invitations.manager.transaction(async (em): Promise<AcceptOutcome> => {
      if (token) {
        const invitation = await em
          .createQueryBuilder(AccountInvitationEntity, 'i')
          .setLock('pessimistic_write')
          .where('i.token_hash = :hash', { hash: hashInvitationToken(token) })
          .getOne();
        if (!invitation || !isOpen(invitation)) return { kind: 'invalid' };
        return this.complete(em, invitation, passwordHash, input.consents);
      }
      if (!parsed) return { kind: 'invalid' };
      const user = await em
        .createQueryBuilder(UserEntity, 'u')
        .where(`u.${parsed.column} = :value`, { value: parsed.value })
        .andWhere('u.status = :active', { active: UserStatus.Active })
        .getOne();
      if (!user) return { kind: 'invalid' };
      const open = await em
        .createQueryBuilder(AccountInvitationEntity, 'i')
        .addSelect('i.codeHash')
        .setLock('pessimistic_write')
        .where('i.user_id = :userId', { userId: user.id })
        .andWhere('i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.code_hash IS NOT NULL')
        .andWhere('i.expires_at > now()')
        .getMany();
      if (open.length === 0) return { kind: 'invalid' };
      const code = input.code ? normalizeInvitationCode(input.code) : null;
      const match = code ? open.find((i) => sameHash(i.codeHash, hashInvitationCode(i.id, code))) : undefined;
      if (!match) {
        // Each open invitation of the account spends an attempt; the last allowed one revokes it.
        await em
          .createQueryBuilder()
          .update(AccountInvitationEntity)
          .set({
            failedAttempts: () => 'failed_attempts + 1',
            revokedAt: () =>
              `CASE WHEN failed_attempts + 1 >= ${INVITATION_MAX_FAILED_ATTEMPTS} THEN now() ELSE revoked_at END`,
          })
          .whereInIds(open.map((i) => i.id))
          .execute();
        return { kind: 'invalid' };
      }
      return this.complete(em, match, passwordHash, input.consents);
    });
    if (outcome.kind === 'invalid') {
      await this.throttle.recordFailure(accountKey);
      this.logger.warn({ event: 'invitation.accept_failure', by: token ? 'token' : 'code', ip });
      throw new IdentityException(IdentityExceptionCode.INVITATION_INVALID);
    }
    await this.throttle.recordSuccess(accountKey);
    this.logger.log({ event: 'invitation.accepted', account: outcome.userId, ip });
    const user = await this.invitations.manager.findOneByOrFail(UserEntity, { id: outcome.userId });
    return { user, tokens: await this.auth.issueTokensFor(outcome.userId) };
  }

  /** The newest invitation of each user (users never invited are absent). */
  async latestDelivery(userIds: string[]): Promise<Map<string, InvitationDeliveryState>> {
    const result = new Map<string, InvitationDeliveryState>();
    if (userIds.length === 0) return result;
    const rows = await this.invitations
      .createQueryBuilder('i')
      .distinctOn(['i.user_id'])
      .where('i.user_id IN (:...userIds)', { userIds: [...new Set(userIds)] })
      .orderBy('i.user_id')
      .addOrderBy('i.created_at', 'DESC')
      .getMany();
    for (const r of rows) {
      result.set(r.userId, {
        channel: r.channel,
        delivery: r.delivery,
        expiresAt: r.expiresAt,
        acceptedAt: r.acceptedAt,
      });
    }
    return result;
  }

  /** Inside the accept transaction, with the invitation row locked. */
  private async complete(
    em: EntityManager,
    invitation: AccountInvitationEntity,
    passwordHash: string,
    consents: AcceptInvitationInput['consents'],
  ): Promise<AcceptOutcome> {
    const set = await em
      .createQueryBuilder()
      .update(UserEntity)
      .set({ passwordHash })
      .where('id = :id AND password_hash IS NULL AND status = :active', {
        id: invitation.userId,
        active: UserStatus.Active,
      })
      .execute();
    if (!set.affected) {
      // The account has a password already (or is gone): this invitation is stale.
      await em.update(AccountInvitationEntity, { id: invitation.id }, { revokedAt: new Date() });
      return { kind: 'invalid' };
    }
    const now = new Date();
    await em.update(
      AccountInvitationEntity,
      { id: invitation.id },
      { acceptedAt: now, tokenHash: null, codeHash: null },
    );
    await em.update(
      AccountInvitationEntity,
      { userId: invitation.userId, acceptedAt: IsNull(), revokedAt: IsNull() },
      { revokedAt: now },
    );
    const records = Object.values(ConsentPurpose)
      .filter((p) => typeof consents[p] === 'boolean')
      .map((purpose) =>
        em.create(ConsentRecordEntity, {
          userId: invitation.userId,
          purpose,
          granted: consents[purpose],
          noticeVersion: PRIVACY_NOTICE_VERSION,
        }),
      );
    await em.save(records);
    return { kind: 'ok', userId: invitation.userId };
  }

  private async insertInvitation(
    em: EntityManager,
    user: Pick<UserEntity, 'id' | 'email'>,
    opts: { createdBy: string | null; context: string },
  ): Promise<string> {
    const inserted = await em.insert(AccountInvitationEntity, {
      userId: user.id,
      channel: user.email ? InvitationChannel.Email : InvitationChannel.Sms,
      context: opts.context,
      createdBy: opts.createdBy,
      expiresAt: new Date(Date.now() + this.config.invitations.ttlDays * 86_400_000),
    });
    return inserted.identifiers[0].id as string;
  }

  /** The caller's transaction, or a new one when the manager is not in one. */
  private inTransaction<T>(em: EntityManager, run: (tx: EntityManager) => Promise<T>): Promise<T> {
    return em.queryRunner?.isTransactionActive ? run(em) : em.transaction(run);
  }

  /** A failed insert must not abort the caller's whole transaction (a roster import goes on). */
  private async underSavepoint<T>(em: EntityManager, run: () => Promise<T>): Promise<T> {
    await em.query('SAVEPOINT hocso_invited_user');
    try {
      const result = await run();
      await em.query('RELEASE SAVEPOINT hocso_invited_user');
      return result;
    } catch (err) {
      await em.query('ROLLBACK TO SAVEPOINT hocso_invited_user').catch(() => undefined);
      throw mapUniqueViolation(err);
    }
  }

  private async addJob(invitationId: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (this.queues as QueueService).add(
          JobName.DeliverInvitation,
          { invitationId },
          { ...INVITATION_JOB_OPTIONS, jobId: invitationId },
        ),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('queue did not answer within 3000 ms')), 3000);
        }),
      ]);
      return true;
    } catch (err) {
      this.logger.warn(`could not queue invitation ${invitationId}: ${(err as Error).message}; re-invite to retry`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private async mark(invitationId: string, delivery: InvitationDelivery): Promise<void> {
    await this.invitations.update(
      { id: invitationId },
      { delivery, deliveredAt: delivery === 'sent' || delivery === 'logged' ? new Date() : null },
    );
  }

  private compose(row: DeliveryRow, code: string, token: string | null): { subject: string; text: string } {
    const base = this.config.http.publicUrl;
    const page = `${base}/kich-hoat`;
    const date = formatVietnamDate(new Date(row.expires_at));
    const en = row.locale === 'en';
    if (row.channel === InvitationChannel.Sms) {
      return {
        subject: '',
        text: en
          ? `Hocso: your account activation code is ${code} (valid until ${date}). Go to ${page}, enter this phone number and the code to set your password. Do not share the code.`
          : `Học Số: mã kích hoạt tài khoản của bạn là ${code} (hiệu lực đến ${date}). Vào ${page}, nhập số điện thoại này và mã để đặt mật khẩu. Không chia sẻ mã cho người khác.`,
      };
    }
    const link = `${page}?token=${encodeURIComponent(token ?? '')}`;
    if (en) {
      return {
        subject: 'Activate your Hocso account',
        text:
          `Hello ${row.full_name},\n\n` +
          `You have been added to Hocso (Học Số), the platform for digital skills and AI literacy. ` +
          `Your account is ready: set a password to start learning.\n\n` +
          `Open this link to activate your account:\n${link}\n\n` +
          `Or go to ${page} and enter this e-mail address with the activation code: ${code}\n\n` +
          `The link and the code are valid until ${date} and work only once. Do not share them with anyone.\n` +
          `If you did not expect this message, you can ignore it.\n\n— Hocso\n`,
      };
    }
    return {
      subject: 'Kích hoạt tài khoản Học Số của bạn',
      text:
        `Xin chào ${row.full_name},\n\n` +
        `Bạn vừa được thêm vào Học Số — nền tảng học kỹ năng số và trí tuệ nhân tạo. ` +
        `Tài khoản của bạn đã sẵn sàng: chỉ cần đặt mật khẩu để bắt đầu học.\n\n` +
        `Mở liên kết sau để kích hoạt tài khoản:\n${link}\n\n` +
        `Hoặc vào ${page}, nhập địa chỉ email này và mã kích hoạt: ${code}\n\n` +
        `Liên kết và mã có hiệu lực đến ngày ${date} và chỉ dùng được một lần. Không chia sẻ cho người khác.\n` +
        `Nếu bạn không mong đợi thư này, hãy bỏ qua.\n\n— Học Số\n`,
    };
  }

  private async sendSms(to: string, text: string): Promise<void> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'Hocso/1' };
    if (this.config.sms.token) headers.Authorization = `Bearer ${this.config.sms.token}`;
    const res = await fetch(this.config.sms.gatewayUrl as string, {
      method: 'POST',
      headers,
      body: JSON.stringify({ to, text }),
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) {
      throw Object.assign(new Error(`SMS gateway answered HTTP ${res.status}`), { code: `HTTP_${res.status}` });
    }
  }

  private mailer(): Transporter | undefined {
    if (!this.config.mail.smtpUrl) return undefined;
    this.transport ??= createTransport(this.config.mail.smtpUrl);
    return this.transport;
  }
}

function isOpen(i: AccountInvitationEntity): boolean {
  return !i.acceptedAt && !i.revokedAt && i.expiresAt.getTime() > Date.now();
}

function mapUniqueViolation(err: unknown): unknown {
  if (err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505') {
    const constraint = (err.driverError as { constraint?: string }).constraint ?? '';
    return new IdentityException(IdentityExceptionCode.IDENTITY_TAKEN, {
      field: constraint.includes('phone') ? 'phone' : 'email',
    });
  }
  return err;
}
