import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, foldDiacritics, type UserActor } from '@hocso/common';
import { AccountInvitationsService, IdentityException, IdentityExceptionCode, UserStatus } from '@hocso/identity';
import { EnrollmentSource, EnrollmentsService } from '@hocso/learning';
import type { DataSource, EntityManager } from 'typeorm';
import { CohortException, CohortExceptionCode, RosterRowCode } from '../cohorts.exception';
import { CohortEntity, CohortStatus } from '../entities/cohort.entity';
import { CohortMemberEntity, MemberSource, MemberStatus } from '../entities/cohort-member.entity';
import type { ParsedRoster, RosterEntry } from '../roster/roster-format';
import { CAN, CohortAccess, type CohortWithRole } from './cohort-access.service';
import { normalizeJoinCode } from './join-code';

export interface RosterRowResult {
  rowNumber: number;
  fullName: string | null;
  outcome: 'added' | 'waitlisted' | 'already_member' | 'rejected';
  userId?: string;
  /** existing: matched by e-mail or phone; invited: a new account with an invitation */
  account?: 'existing' | 'invited';
  matchedBy?: 'email' | 'phone';
  /** matched an account whose name is spelled differently: worth a look */
  nameDiffers?: boolean;
  /** already_member: their current status */
  memberStatus?: MemberStatus;
  error?: { code: RosterRowCode; field: string; duplicateOfRow?: number };
}

export interface RosterResult {
  cohortId: string;
  summary: { added: number; waitlisted: number; alreadyMember: number; rejected: number; invited: number };
  rows: RosterRowResult[];
}

export interface MemberView {
  member: CohortMemberEntity;
  fullName: string;
  invitation: { channel: 'email' | 'sms'; delivery: string; acceptedAt: Date | null } | null;
}

const OPEN = [CohortStatus.Planned, CohortStatus.Running];
const LIVE = [MemberStatus.Active, MemberStatus.Waitlisted];

interface Account {
  id: string;
  email: string | null;
  phone: string | null;
  full_name: string;
  status: string;
  has_password: boolean;
  open_invitation: boolean;
}

interface Candidate {
  rowNumber: number;
  userId: string;
}

@Injectable()
export class MembersService {
  private readonly logger = new Logger('CohortMembers');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly access: CohortAccess,
    private readonly invitations: AccountInvitationsService,
    private readonly enrollments: EnrollmentsService,
  ) {}

  /**
   * Adds a roster: each row is matched to an account by e-mail or phone (never by name alone), or
   * becomes a new account with an invitation. Rows beyond capacity go to the waitlist. The cohort
   * row is locked for the whole transaction, so concurrent additions and joins never overfill it.
   */
  async addRoster(actor: Actor, cohortId: string, roster: ParsedRoster): Promise<RosterResult> {
    const rows: RosterRowResult[] = roster.errors.map((e) => ({
      rowNumber: e.rowNumber,
      fullName: e.fullName ?? null,
      outcome: 'rejected',
      error: { code: e.code, field: e.field, duplicateOfRow: e.duplicateOfRow },
    }));
    const invitationIds: string[] = [];
    await this.ds.transaction(async (em) => {
      const { cohort } = await this.access.require(actor, cohortId, CAN.roster, em, true);
      this.assertOpen(cohort);
      const candidates: Candidate[] = [];
      const byRow = new Map<number, RosterRowResult>();
      const resolved = await this.resolveAccounts(em, roster.entries, cohort, actor as UserActor, invitationIds);
      const seenUser = new Map<string, number>();
      for (const r of resolved) {
        if (r.userId) {
          const first = seenUser.get(r.userId);
          if (first !== undefined) {
            rows.push({
              rowNumber: r.rowNumber,
              fullName: r.fullName,
              outcome: 'rejected',
              error: { code: RosterRowCode.DUPLICATE_IN_ROSTER, field: r.matchedBy ?? 'email', duplicateOfRow: first },
            });
            continue;
          }
          seenUser.set(r.userId, r.rowNumber);
          candidates.push({ rowNumber: r.rowNumber, userId: r.userId });
        }
        byRow.set(r.rowNumber, r);
        rows.push(r);
      }
      const placed = await this.place(
        em,
        cohort,
        candidates.map((c) => c.userId),
        MemberSource.Roster,
        (actor as UserActor).userId,
      );
      for (const c of candidates) {
        const row = byRow.get(c.rowNumber) as RosterRowResult;
        const p = placed.get(c.userId);
        if (!p) continue;
        if (p.already) {
          row.outcome = 'already_member';
          row.memberStatus = p.status;
        } else {
          row.outcome = p.status === MemberStatus.Active ? 'added' : 'waitlisted';
        }
      }
    });
    await this.invitations.queueDelivery(invitationIds);
    rows.sort((a, b) => a.rowNumber - b.rowNumber);
    const count = (o: RosterRowResult['outcome']) => rows.filter((r) => r.outcome === o).length;
    return {
      cohortId,
      summary: {
        added: count('added'),
        waitlisted: count('waitlisted'),
        alreadyMember: count('already_member'),
        rejected: count('rejected'),
        invited: rows.filter((r) => r.account === 'invited' && r.outcome !== 'rejected').length,
      },
      rows,
    };
  }

  /** Self-join with the cohort's code (open cohorts). Joining again returns the current place. */
  async join(actor: UserActor, code: string): Promise<{ cohortId: string; title: string; status: MemberStatus }> {
    const [found] = await this.ds.query(`SELECT id FROM cohort WHERE join_code = $1 AND status = ANY($2)`, [
      normalizeJoinCode(code),
      OPEN,
    ]);
    if (!found) throw new CohortException(CohortExceptionCode.JOIN_CODE_INVALID, { field: 'code' });
    return this.ds.transaction(async (em) => {
      const cohort = await this.lockCohort(em, found.id);
      if (!cohort.joinCode || !OPEN.includes(cohort.status)) {
        throw new CohortException(CohortExceptionCode.JOIN_CODE_INVALID, { field: 'code' });
      }
      const placed = await this.place(em, cohort, [actor.userId], MemberSource.SelfJoin, actor.userId);
      return { cohortId: cohort.id, title: cohort.title, status: placed.get(actor.userId)?.status as MemberStatus };
    });
  }

  async list(actor: Actor, cohortId: string, status?: MemberStatus): Promise<MemberView[]> {
    await this.access.require(actor, cohortId, CAN.read);
    const members = await this.ds
      .getRepository(CohortMemberEntity)
      .createQueryBuilder('m')
      .where('m.cohort_id = :cohortId', { cohortId })
      .andWhere(status ? 'm.status = :status' : '1=1', { status })
      .orderBy('m.joined_at')
      .addOrderBy('m.id')
      .getMany();
    const names = await this.names(members.map((m) => m.userId));
    const invites = await this.invitations.latestDelivery(members.map((m) => m.userId));
    return members.map((member) => {
      const inv = invites.get(member.userId);
      return {
        member,
        fullName: names.get(member.userId) ?? '',
        invitation: inv ? { channel: inv.channel, delivery: inv.delivery, acceptedAt: inv.acceptedAt } : null,
      };
    });
  }

  /** Takes someone off the cohort (their learning stays theirs); the waitlist moves up. */
  async remove(actor: Actor, cohortId: string, userId: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const { cohort } = await this.access.require(actor, cohortId, CAN.roster, em, true);
      this.assertOpen(cohort);
      const member = await em.findOneBy(CohortMemberEntity, { cohortId, userId });
      if (!member || !LIVE.includes(member.status)) throw new CohortException(CohortExceptionCode.MEMBER_NOT_FOUND);
      await em.update(CohortMemberEntity, { id: member.id }, { status: MemberStatus.Removed, leftAt: new Date() });
      await this.promoteWaitlist(em, cohort);
    });
  }

  /** Moves a member to another open cohort the caller also runs (attendance stays with the old one). */
  async transfer(
    actor: Actor,
    cohortId: string,
    userId: string,
    toCohortId: string,
  ): Promise<{ cohortId: string; status: MemberStatus }> {
    return this.ds.transaction(async (em) => {
      // Lock both in id order: two opposite transfers never deadlock.
      const roles = new Map<string, CohortWithRole | null>();
      for (const id of [...new Set([cohortId, toCohortId])].sort()) {
        roles.set(id, await this.access.roleOf(actor, id, em, true));
      }
      // Judge the source cohort first, then the target, so the answer (404 or 403) never depends on
      // how the two ids happen to sort.
      const locked = new Map<string, CohortEntity>();
      for (const id of [cohortId, toCohortId]) {
        const role = roles.get(id);
        if (!role) {
          throw new CohortException(CohortExceptionCode.COHORT_NOT_FOUND, {
            field: id === toCohortId ? 'toCohortId' : undefined,
          });
        }
        if (!(CAN.roster as readonly string[]).includes(role.role)) {
          throw new CohortException(CohortExceptionCode.NOT_COHORT_STAFF, {
            field: id === toCohortId ? 'toCohortId' : undefined,
          });
        }
        locked.set(id, role.cohort);
      }
      if (toCohortId === cohortId) {
        throw new CohortException(CohortExceptionCode.TRANSFER_INVALID, { field: 'toCohortId' });
      }
      const from = locked.get(cohortId) as CohortEntity;
      const to = locked.get(toCohortId) as CohortEntity;
      this.assertOpen(from);
      if (!OPEN.includes(to.status)) {
        throw new CohortException(CohortExceptionCode.TRANSFER_INVALID, { field: 'toCohortId' });
      }
      const member = await em.findOneBy(CohortMemberEntity, { cohortId, userId });
      if (!member || !LIVE.includes(member.status)) throw new CohortException(CohortExceptionCode.MEMBER_NOT_FOUND);
      const existing = await em.findOneBy(CohortMemberEntity, { cohortId: toCohortId, userId });
      if (existing && LIVE.includes(existing.status)) {
        throw new CohortException(CohortExceptionCode.TRANSFER_INVALID, { field: 'toCohortId' });
      }
      await em.update(
        CohortMemberEntity,
        { id: member.id },
        { status: MemberStatus.Transferred, leftAt: new Date(), transferredTo: toCohortId },
      );
      const placed = await this.place(em, to, [userId], MemberSource.Transfer, (actor as UserActor).userId);
      await this.promoteWaitlist(em, from);
      return { cohortId: toCohortId, status: placed.get(userId)?.status as MemberStatus };
    });
  }

  /** Fills free places from the waitlist, first come first served; enrolls those promoted. */
  async promoteWaitlist(em: EntityManager, cohort: CohortEntity): Promise<string[]> {
    const promoted: Array<{ user_id: string }> = await em.query(
      `UPDATE cohort_member SET status = 'active', activated_at = now(), updated_at = now()
        WHERE id IN (
          SELECT id FROM cohort_member WHERE cohort_id = $1 AND status = 'waitlisted'
           ORDER BY joined_at, id
           LIMIT GREATEST(0, $2 - (SELECT count(*) FROM cohort_member WHERE cohort_id = $1 AND status = 'active')))
        RETURNING user_id`,
      [cohort.id, cohort.capacity],
    );
    const rows = (Array.isArray(promoted[0]) ? promoted[0] : promoted) as Array<{ user_id: string }>;
    const ids = rows.map((r) => r.user_id);
    await this.enroll(em, cohort.id, ids);
    return ids;
  }

  /** Enrolls people in the cohort's published courses (source cohort), in the caller's transaction. */
  async enroll(em: EntityManager, cohortId: string, userIds: string[]): Promise<void> {
    if (!userIds.length) return;
    const courses: Array<{ id: string; slug: string; version_id: string }> = await em.query(
      `SELECT c.id, c.slug, c.latest_version_id AS version_id FROM cohort_course cc
         JOIN course c ON c.id = cc.course_id
        WHERE cc.cohort_id = $1 AND c.status = 'published' AND c.latest_version_id IS NOT NULL
        ORDER BY cc.position`,
      [cohortId],
    );
    await this.enrollments.enrollManyIn(
      em,
      userIds,
      courses.map((c) => ({ id: c.id, slug: c.slug, versionId: c.version_id })),
      EnrollmentSource.Cohort,
      cohortId,
    );
  }

  assertOpen(cohort: CohortEntity): void {
    if (!OPEN.includes(cohort.status)) {
      throw new CohortException(CohortExceptionCode.WRONG_STATE, { extensions: { status: cohort.status } });
    }
  }

  /**
   * Puts people in the (locked) cohort: active while there is room, then waitlisted. People already
   * active or waitlisted keep their place (`already`); someone removed earlier comes back.
   */
  private async place(
    em: EntityManager,
    cohort: CohortEntity,
    userIds: string[],
    source: MemberSource,
    addedBy: string,
  ): Promise<Map<string, { status: MemberStatus; already: boolean }>> {
    const out = new Map<string, { status: MemberStatus; already: boolean }>();
    if (!userIds.length) return out;
    const existing = await em
      .getRepository(CohortMemberEntity)
      .createQueryBuilder('m')
      .where('m.cohort_id = :id AND m.user_id IN (:...userIds)', { id: cohort.id, userIds })
      .getMany();
    const byUser = new Map(existing.map((m) => [m.userId, m]));
    // Someone already waiting goes before newcomers (seats freed without a promotion, e.g. erasure).
    await this.promoteWaitlist(em, cohort);
    const [{ active }] = await em.query(
      `SELECT count(*)::int AS active FROM cohort_member WHERE cohort_id = $1 AND status = 'active'`,
      [cohort.id],
    );
    let free = cohort.capacity - active;
    const activated: string[] = [];
    const start = Date.now();
    for (const [i, userId] of userIds.entries()) {
      const prior = byUser.get(userId);
      // A transfer out is final here (the person is in the other cohort); a removal ends a self-join.
      const ended =
        prior?.status === MemberStatus.Transferred ||
        (prior?.status === MemberStatus.Removed && source === MemberSource.SelfJoin);
      if (prior && (LIVE.includes(prior.status) || ended)) {
        out.set(userId, { status: prior.status, already: true });
        continue;
      }
      // Arrival order within one roster is row order (the waitlist is served by joined_at).
      const now = new Date(start + i);
      const status = free > 0 ? MemberStatus.Active : MemberStatus.Waitlisted;
      if (status === MemberStatus.Active) {
        free--;
        activated.push(userId);
      }
      const values = {
        status,
        source,
        addedBy,
        joinedAt: now,
        activatedAt: status === MemberStatus.Active ? now : null,
        leftAt: null,
        transferredTo: null,
      };
      if (prior) await em.update(CohortMemberEntity, { id: prior.id }, values);
      else await em.insert(CohortMemberEntity, { cohortId: cohort.id, userId, ...values });
      out.set(userId, { status, already: false });
    }
    await this.enroll(em, cohort.id, activated);
    return out;
  }

  /** Each roster entry as an account: matched by e-mail or phone, or created with an invitation. */
  private async resolveAccounts(
    em: EntityManager,
    entries: RosterEntry[],
    cohort: CohortEntity,
    actor: UserActor,
    invitationIds: string[],
  ): Promise<RosterRowResult[]> {
    const emails = entries.map((e) => e.email).filter((x): x is string => !!x);
    const phones = entries.map((e) => e.phone).filter((x): x is string => !!x);
    const codes = [...new Set(entries.map((e) => e.orgUnitCode).filter((x): x is string => !!x))];
    const users: Account[] = emails.length || phones.length ? await this.accounts(em, emails, phones) : [];
    const byEmail = new Map(users.filter((u) => u.email).map((u) => [u.email as string, u]));
    const byPhone = new Map(users.filter((u) => u.phone).map((u) => [u.phone as string, u]));
    const units: Array<{ id: string; code: string }> = codes.length
      ? await em.query(`SELECT id, code FROM org_unit WHERE code = ANY($1::text[])`, [codes])
      : [];
    const unitByCode = new Map(units.map((u) => [u.code, u.id]));
    const out: RosterRowResult[] = [];
    for (const e of entries) {
      const base = { rowNumber: e.rowNumber, fullName: e.fullName };
      const reject = (code: RosterRowCode, field: string): RosterRowResult => ({
        ...base,
        outcome: 'rejected',
        error: { code, field },
      });
      if (e.orgUnitCode && !unitByCode.has(e.orgUnitCode)) {
        out.push(reject(RosterRowCode.ORG_UNIT_UNKNOWN, 'orgUnitCode'));
        continue;
      }
      const viaEmail = e.email ? byEmail.get(e.email) : undefined;
      const viaPhone = e.phone ? byPhone.get(e.phone) : undefined;
      if (viaEmail && viaPhone && viaEmail.id !== viaPhone.id) {
        out.push(reject(RosterRowCode.CONTACTS_MATCH_DIFFERENT_ACCOUNTS, 'phone'));
        continue;
      }
      const match = viaEmail ?? viaPhone;
      if (match && !match.has_password && !match.open_invitation && match.status === UserStatus.Active) {
        // Invited earlier but the invitation died (expired, failed, too many wrong codes): send a new one.
        const again = await this.invitations.reinvite(em, match.id, {
          createdBy: actor.userId,
          context: `cohort:${cohort.id}`,
        });
        if (again) invitationIds.push(again);
      }
      if (match) {
        if (match.status !== UserStatus.Active) {
          out.push(reject(RosterRowCode.ACCOUNT_DISABLED, viaEmail ? 'email' : 'phone'));
          continue;
        }
        out.push({
          ...base,
          outcome: 'added',
          userId: match.id,
          account: 'existing',
          matchedBy: viaEmail ? 'email' : 'phone',
          nameDiffers: foldDiacritics(match.full_name) !== foldDiacritics(e.fullName) || undefined,
        });
        continue;
      }
      let created: { user: { id: string }; invitationId: string };
      try {
        created = await this.invitations.createInvitedUser(
          em,
          {
            fullName: e.fullName,
            email: e.email,
            phone: e.phone,
            orgUnitId: e.orgUnitCode ? (unitByCode.get(e.orgUnitCode) as string) : cohort.orgUnitId,
          },
          { createdBy: actor.userId, context: `cohort:${cohort.id}` },
        );
      } catch (err) {
        // Another roster created this person a moment ago (the savepoint kept this transaction usable).
        if (!(err instanceof IdentityException && err.code === IdentityExceptionCode.IDENTITY_TAKEN)) throw err;
        const [winner] = await this.accounts(em, e.email ? [e.email] : [], e.phone ? [e.phone] : []);
        if (!winner) throw err;
        out.push({
          ...base,
          outcome: 'added',
          userId: winner.id,
          account: 'existing',
          matchedBy: e.email ? 'email' : 'phone',
        });
        continue;
      }
      const { user, invitationId } = created;
      invitationIds.push(invitationId);
      // Later rows with the same contact match this new account.
      const fresh: Account = {
        id: user.id,
        email: e.email,
        phone: e.phone,
        full_name: e.fullName,
        status: 'active',
        has_password: false,
        open_invitation: true,
      };
      if (e.email) byEmail.set(e.email, fresh);
      if (e.phone) byPhone.set(e.phone, fresh);
      out.push({ ...base, outcome: 'added', userId: user.id, account: 'invited' });
    }
    return out;
  }

  /** Accounts by e-mail or phone, with whether they can sign in or still have a live invitation. */
  private accounts(em: EntityManager, emails: string[], phones: string[]): Promise<Account[]> {
    return em.query(
      `SELECT u.id, u.email, u.phone, u.full_name, u.status, u.password_hash IS NOT NULL AS has_password,
              EXISTS (SELECT 1 FROM account_invitation i WHERE i.user_id = u.id AND i.accepted_at IS NULL
                         AND i.revoked_at IS NULL AND i.expires_at > now()
                         AND i.delivery IN ('pending', 'sent', 'logged')) AS open_invitation
         FROM app_user u
        WHERE u.status <> $3 AND (u.email = ANY($1::text[]) OR u.phone = ANY($2::text[]))`,
      [emails, phones, UserStatus.Erased],
    );
  }

  private async lockCohort(em: EntityManager, id: string): Promise<CohortEntity> {
    return em
      .createQueryBuilder(CohortEntity, 'c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id })
      .getOneOrFail();
  }

  private async names(userIds: string[]): Promise<Map<string, string>> {
    if (!userIds.length) return new Map();
    const rows: Array<{ id: string; full_name: string }> = await this.ds.query(
      `SELECT id, full_name FROM app_user WHERE id = ANY($1::uuid[])`,
      [userIds],
    );
    return new Map(rows.map((r) => [r.id, r.full_name]));
  }
}
