import { css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { ApiError, api, currentUser, OfflineError } from '../../api';
import { fmtDate, lang, register, t } from '../../i18n';
import { field, fieldErrors, focusFirstInvalid } from '../../ui/learner/form';
import { Page } from '../../ui/page';
import { base } from '../../ui/styles';

register(
  {
    'people.title': 'Người dùng và đơn vị',
    'people.intro': 'Quản lý các đơn vị trực thuộc và tài khoản người dùng trong phạm vi đơn vị của bạn.',
    'people.dashboard': 'Về bảng chỉ số',
    'people.ownUnit': 'Đơn vị của bạn: {name}',
    'people.noUnit': 'Tài khoản của bạn chưa gắn với đơn vị nào nên không thể quản lý người dùng.',
    'people.units': 'Đơn vị',
    'people.unitsList': 'Đơn vị trực thuộc',
    'people.kindFilter': 'Lọc theo loại đơn vị',
    'people.allKinds': 'Tất cả các loại',
    'people.code': 'Mã',
    'people.name': 'Tên',
    'people.kind': 'Loại',
    'people.noUnits': 'Chưa có đơn vị trực thuộc nào.',
    'people.more': 'Xem thêm',
    'people.newUnit': 'Thêm đơn vị trực thuộc',
    'people.parent': 'Đơn vị cấp trên',
    'people.codeHint': 'Chữ, số, dấu chấm, gạch ngang hoặc gạch dưới; ví dụ mã số thuế 4600123456.',
    'people.unitName': 'Tên đơn vị',
    'people.createUnit': 'Thêm đơn vị',
    'people.creating': 'Đang lưu…',
    'people.unitCreated': 'Đã thêm đơn vị {name}.',
    'people.required': 'Vui lòng nhập thông tin này.',
    'people.badCode': 'Mã chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang, gạch dưới (tối đa 64 ký tự).',
    'people.fix': 'Vui lòng sửa các mục được đánh dấu.',
    'people.users': 'Người dùng',
    'people.usersList': 'Danh sách người dùng',
    'people.unitFilter': 'Lọc theo đơn vị',
    'people.allUnits': 'Tất cả đơn vị',
    'people.roleFilter': 'Lọc theo vai trò',
    'people.allRoles': 'Tất cả vai trò',
    'people.fullName': 'Họ và tên',
    'people.contact': 'Email hoặc số điện thoại',
    'people.contactHint': 'Ví dụ: mai.nguyen@example.vn hoặc 0912 345 678',
    'people.password': 'Mật khẩu ban đầu',
    'people.passwordHint': 'Ít nhất 8 ký tự. Người dùng nên đổi mật khẩu sau lần đăng nhập đầu tiên.',
    'people.unit': 'Đơn vị',
    'people.roles': 'Vai trò',
    'people.createdAt': 'Ngày tạo',
    'people.actions': 'Thao tác',
    'people.noUsers': 'Chưa có người dùng nào.',
    'people.newUser': 'Tạo tài khoản',
    'people.createUser': 'Tạo tài khoản',
    'people.userCreated': 'Đã tạo tài khoản cho {name}.',
    'people.editRoles': 'Đổi vai trò',
    'people.editRolesOf': 'Đổi vai trò của {name}',
    'people.editRolesTitle': 'Vai trò của {name}',
    'people.saveRoles': 'Lưu vai trò',
    'people.cancel': 'Hủy',
    'people.rolesSaved': 'Đã lưu vai trò của {name}.',
    'people.rolesHint': 'Không chọn vai trò nào thì người dùng là học viên.',
    'people.role.learner': 'Học viên',
    'people.role.official': 'Cán bộ',
    'people.role.trainer': 'Giảng viên',
    'people.role.master_trainer': 'Giảng viên nguồn',
    'people.role.enterprise_manager': 'Quản lý doanh nghiệp',
    'people.role.integrator': 'Đơn vị tích hợp',
    'people.role.content_editor': 'Biên tập nội dung',
    'people.role.org_admin': 'Quản trị đơn vị',
    'people.role.province_admin': 'Quản trị tỉnh',
    'people.kind.province': 'Tỉnh',
    'people.kind.ward': 'Phường',
    'people.kind.commune': 'Xã',
    'people.kind.agency': 'Cơ quan',
    'people.kind.school': 'Trường học',
    'people.kind.community_team': 'Tổ công nghệ số cộng đồng',
    'people.kind.industrial_park': 'Khu công nghiệp',
    'people.kind.enterprise': 'Doanh nghiệp',
    'people.kind.integrator': 'Đơn vị tích hợp',
  },
  {
    'people.title': 'People and units',
    'people.intro': 'Manage the units under yours and the user accounts within your unit.',
    'people.dashboard': 'Back to the dashboard',
    'people.ownUnit': 'Your unit: {name}',
    'people.noUnit': 'Your account is not linked to a unit, so you cannot manage people.',
    'people.units': 'Units',
    'people.unitsList': 'Units under yours',
    'people.kindFilter': 'Filter by kind of unit',
    'people.allKinds': 'All kinds',
    'people.code': 'Code',
    'people.name': 'Name',
    'people.kind': 'Kind',
    'people.noUnits': 'No units yet.',
    'people.more': 'Show more',
    'people.newUnit': 'Add a unit',
    'people.parent': 'Parent unit',
    'people.codeHint': 'Letters, digits, dots, hyphens or underscores; for example a tax code 4600123456.',
    'people.unitName': 'Unit name',
    'people.createUnit': 'Add unit',
    'people.creating': 'Saving…',
    'people.unitCreated': 'Added the unit {name}.',
    'people.required': 'Please fill this in.',
    'people.badCode': 'Use only plain letters, digits, dots, hyphens and underscores (at most 64).',
    'people.fix': 'Please correct the marked fields.',
    'people.users': 'People',
    'people.usersList': 'User list',
    'people.unitFilter': 'Filter by unit',
    'people.allUnits': 'All units',
    'people.roleFilter': 'Filter by role',
    'people.allRoles': 'All roles',
    'people.fullName': 'Full name',
    'people.contact': 'E-mail or phone number',
    'people.contactHint': 'For example: mai.nguyen@example.vn or 0912 345 678',
    'people.password': 'Initial password',
    'people.passwordHint': 'At least 8 characters. The person should change it after signing in.',
    'people.unit': 'Unit',
    'people.roles': 'Roles',
    'people.createdAt': 'Created',
    'people.actions': 'Actions',
    'people.noUsers': 'No users yet.',
    'people.newUser': 'Create an account',
    'people.createUser': 'Create account',
    'people.userCreated': 'Created an account for {name}.',
    'people.editRoles': 'Change roles',
    'people.editRolesOf': 'Change the roles of {name}',
    'people.editRolesTitle': 'Roles of {name}',
    'people.saveRoles': 'Save roles',
    'people.cancel': 'Cancel',
    'people.rolesSaved': 'Saved the roles of {name}.',
    'people.rolesHint': 'With no role chosen the person is a learner.',
    'people.role.learner': 'Learner',
    'people.role.official': 'Official',
    'people.role.trainer': 'Trainer',
    'people.role.master_trainer': 'Master trainer',
    'people.role.enterprise_manager': 'Enterprise manager',
    'people.role.integrator': 'Integrator',
    'people.role.content_editor': 'Content editor',
    'people.role.org_admin': 'Unit administrator',
    'people.role.province_admin': 'Province administrator',
    'people.kind.province': 'Province',
    'people.kind.ward': 'Ward',
    'people.kind.commune': 'Commune',
    'people.kind.agency': 'Agency',
    'people.kind.school': 'School',
    'people.kind.community_team': 'Community digital team',
    'people.kind.industrial_park': 'Industrial park',
    'people.kind.enterprise': 'Enterprise',
    'people.kind.integrator': 'Integrator',
  },
);

interface OrgUnit {
  id: string;
  kind: string;
  code: string;
  name: string;
  parentId: string | null;
}
interface User {
  id: string;
  email: string | null;
  phone: string | null;
  phoneDisplay: string | null;
  fullName: string;
  orgUnitId: string | null;
  roles: string[];
  status: string;
  createdAt: string;
}
interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

const KINDS = [
  'province',
  'ward',
  'commune',
  'agency',
  'school',
  'community_team',
  'industrial_park',
  'enterprise',
  'integrator',
];
/** Kinds an admin creates under a unit (the province and communes come from the data file). */
const CREATE_KINDS = ['agency', 'school', 'community_team', 'industrial_park', 'enterprise', 'integrator'];
/** Roles offered on this page (users.service grantableRoles: only a province admin grants province_admin). */
const OFFERED_ROLES = ['learner', 'official', 'trainer', 'enterprise_manager', 'org_admin', 'province_admin'];

function grantable(): string[] {
  const roles = currentUser()?.roles ?? [];
  if (roles.includes('province_admin')) return OFFERED_ROLES;
  if (roles.includes('org_admin')) return OFFERED_ROLES.filter((r) => r !== 'province_admin');
  return [];
}

function errText(err: unknown): string {
  if (err instanceof OfflineError) return t('common.offlineError');
  if (err instanceof ApiError && err.message && err.status < 500) return err.message;
  return t('common.error');
}

function q(params: Record<string, string | undefined | null>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) s.set(k, v);
  const out = s.toString();
  return out ? `?${out}` : '';
}

type Load = 'idle' | 'loading' | 'error';

export class AdminPeoplePage extends Page {
  static override styles = [
    base,
    css`
      section {
        margin-top: 1.5rem;
      }
      form {
        max-width: 32rem;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0 1rem;
        align-items: flex-end;
      }
      .filters > div {
        flex: 1 1 12rem;
        min-width: 0;
      }
      fieldset {
        border: 1px solid var(--hc-border);
        border-radius: 8px;
        margin: 1rem 0;
        padding: 0.5rem 0.75rem;
        min-width: 0;
      }
      legend {
        font-weight: 600;
      }
      .hint {
        margin: 0.25rem 0 0;
        font-size: 0.9rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
      td button {
        padding: 0.25rem 0.75rem;
      }
      .card {
        margin-top: 1rem;
      }
      h3 {
        font-size: 1.05rem;
        margin: 1rem 0 0.25rem;
      }
      .ok {
        color: var(--hc-text);
        font-weight: 600;
      }
    `,
  ];

  private ownUnit: OrgUnit | null = null;
  private ownState: Load = 'loading';
  private ownError = '';

  private units: OrgUnit[] = [];
  private unitsCursor: string | null = null;
  private unitsState: Load = 'idle';
  private unitsError = '';
  private kindFilter = '';

  private unitErrors: Record<string, string> = {};
  private unitMessage = '';
  private unitStatus = '';
  private unitBusy = false;
  private unitValues = { parentId: '', kind: 'agency', code: '', name: '' };

  private users: User[] = [];
  private usersCursor: string | null = null;
  private usersState: Load = 'idle';
  private usersError = '';
  private userUnitFilter = '';
  private roleFilter = '';

  private userErrors: Record<string, string> = {};
  private userMessage = '';
  private userStatus = '';
  private userBusy = false;
  private userValues = { fullName: '', identifier: '', orgUnitId: '', roles: ['learner'] as string[] };

  private editing: User | null = null;
  private editRoles: string[] = [];
  private editError = '';
  private editBusy = false;
  private rolesStatus = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadOwn();
  }

  private async loadOwn() {
    this.ownState = 'loading';
    this.requestUpdate();
    const id = currentUser()?.orgUnitId;
    if (!id) {
      this.ownState = 'idle';
      this.requestUpdate();
      return;
    }
    try {
      this.ownUnit = await api.get<OrgUnit>(`/v1/org-units/${encodeURIComponent(id)}`);
      this.ownState = 'idle';
      this.unitValues.parentId ||= id;
      this.userValues.orgUnitId ||= id;
      void this.loadUnits(false);
      void this.loadUsers(false);
    } catch (err) {
      this.ownState = 'error';
      this.ownError = errText(err);
    }
    this.requestUpdate();
  }

  private async loadUnits(more: boolean) {
    if (!this.ownUnit) return;
    this.unitsState = 'loading';
    this.requestUpdate();
    try {
      const page = await api.get<PageOf<OrgUnit>>(
        `/v1/org-units${q({ parentId: this.ownUnit.id, kind: this.kindFilter, limit: '20', cursor: more ? this.unitsCursor : null })}`,
      );
      this.units = more ? [...this.units, ...page.items] : page.items;
      this.unitsCursor = page.nextCursor;
      this.unitsState = 'idle';
    } catch (err) {
      this.unitsState = 'error';
      this.unitsError = errText(err);
    }
    this.requestUpdate();
  }

  private async loadUsers(more: boolean) {
    this.usersState = 'loading';
    this.requestUpdate();
    try {
      const page = await api.get<PageOf<User>>(
        `/v1/users${q({ orgUnitId: this.userUnitFilter, role: this.roleFilter, limit: '20', cursor: more ? this.usersCursor : null })}`,
      );
      this.users = more ? [...this.users, ...page.items] : page.items;
      this.usersCursor = page.nextCursor;
      this.usersState = 'idle';
    } catch (err) {
      this.usersState = 'error';
      this.usersError = errText(err);
    }
    this.requestUpdate();
  }

  /** The admin's own unit and the units listed under it (for the parent and unit choices). */
  private knownUnits(): OrgUnit[] {
    return this.ownUnit ? [this.ownUnit, ...this.units] : this.units;
  }

  private unitName(id: string | null): string {
    if (!id) return '';
    return this.knownUnits().find((u) => u.id === id)?.name ?? '';
  }

  private async createUnit(e: Event) {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const v = {
      parentId: String(data.get('unit-parentId') ?? ''),
      kind: String(data.get('unit-kind') ?? ''),
      code: String(data.get('unit-code') ?? '').trim(),
      name: String(data.get('unit-name') ?? '').trim(),
    };
    this.unitValues = v;
    this.unitErrors = {};
    this.unitMessage = '';
    this.unitStatus = '';
    if (!v.code) this.unitErrors.code = t('people.required');
    else if (!/^[A-Za-z0-9._-]{1,64}$/.test(v.code)) this.unitErrors.code = t('people.badCode');
    if (!v.name) this.unitErrors.name = t('people.required');
    if (!Object.keys(this.unitErrors).length) {
      this.unitBusy = true;
      this.requestUpdate();
      try {
        const unit = await api.post<OrgUnit>('/v1/org-units', v);
        this.unitStatus = t('people.unitCreated', { name: unit.name });
        this.unitValues = { ...v, code: '', name: '' };
        if (unit.parentId === this.ownUnit?.id && (!this.kindFilter || this.kindFilter === unit.kind)) {
          this.units = [...this.units, unit];
        }
      } catch (err) {
        this.unitErrors = fieldErrors(err);
        this.unitMessage = Object.keys(this.unitErrors).length ? t('people.fix') : errText(err);
      }
      this.unitBusy = false;
    } else this.unitMessage = t('people.fix');
    this.requestUpdate();
    await this.updateComplete;
    focusFirstInvalid(this.renderRoot);
  }

  private async createUser(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const fullName = String(data.get('user-fullName') ?? '').trim();
    const identifier = String(data.get('user-contact') ?? '').trim();
    const password = String(data.get('user-password') ?? '');
    const orgUnitId = String(data.get('user-orgUnitId') ?? '');
    const roles = data.getAll('user-role').map(String);
    this.userValues = { fullName, identifier, orgUnitId, roles };
    this.userErrors = {};
    this.userMessage = '';
    this.userStatus = '';
    if (!fullName) this.userErrors.fullName = t('people.required');
    if (!identifier) this.userErrors.contact = t('people.required');
    if (!password) this.userErrors.password = t('people.required');
    if (!Object.keys(this.userErrors).length) {
      this.userBusy = true;
      this.requestUpdate();
      try {
        const user = await api.post<User>('/v1/users', {
          fullName,
          ...(identifier.includes('@') ? { email: identifier } : { phone: identifier }),
          password,
          orgUnitId,
          roles,
          locale: lang(),
        });
        this.userStatus = t('people.userCreated', { name: user.fullName });
        this.userValues = { fullName: '', identifier: '', orgUnitId, roles: ['learner'] };
        const pw = form.querySelector<HTMLInputElement>('#user-password');
        if (pw) pw.value = '';
        this.users = [user, ...this.users.filter((u) => u.id !== user.id)];
      } catch (err) {
        this.userErrors = fieldErrors(err, { email: 'contact', phone: 'contact', identifier: 'contact' });
        this.userMessage = Object.keys(this.userErrors).length ? t('people.fix') : errText(err);
      }
      this.userBusy = false;
    } else this.userMessage = t('people.fix');
    this.requestUpdate();
    await this.updateComplete;
    focusFirstInvalid(this.renderRoot);
  }

  private async openRoles(user: User) {
    this.editing = user;
    this.editRoles = user.roles.filter((r) => OFFERED_ROLES.includes(r));
    this.editError = '';
    this.rolesStatus = '';
    this.requestUpdate();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#roles-editor-title')?.focus();
  }

  private async closeRoles() {
    const id = this.editing?.id;
    this.editing = null;
    this.requestUpdate();
    await this.updateComplete;
    if (id) this.renderRoot.querySelector<HTMLElement>(`[data-user="${id}"]`)?.focus();
  }

  private async saveRoles(e: Event) {
    e.preventDefault();
    const user = this.editing;
    if (!user) return;
    const data = new FormData(e.target as HTMLFormElement);
    const chosen = data.getAll('edit-role').map(String);
    // Keep roles this page does not offer (master trainer, content editor…): the API would drop them.
    const kept = user.roles.filter((r) => !OFFERED_ROLES.includes(r));
    this.editBusy = true;
    this.editError = '';
    this.requestUpdate();
    try {
      const saved = await api.patch<User>(`/v1/users/${encodeURIComponent(user.id)}/roles`, {
        roles: [...new Set([...kept, ...chosen])],
      });
      this.users = this.users.map((u) => (u.id === saved.id ? saved : u));
      this.rolesStatus = t('people.rolesSaved', { name: saved.fullName });
      this.editBusy = false;
      await this.closeRoles();
      return;
    } catch (err) {
      this.editError = errText(err);
    }
    this.editBusy = false;
    this.requestUpdate();
  }

  private roleLabels(roles: string[]): string {
    return roles.map((r) => t(`people.role.${r}`)).join(', ');
  }

  override render() {
    this.setTitle(t('people.title'));
    return html`
      <h1>${t('people.title')}</h1>
      <p>${t('people.intro')} <a href="/admin">${t('people.dashboard')}</a></p>
      ${this.renderBody()}
    `;
  }

  private renderBody() {
    if (this.ownState === 'loading') return html`<p role="status">${t('common.loading')}</p>`;
    if (this.ownState === 'error') {
      return html`<div role="alert"><p class="error">${this.ownError}</p></div>
        <button type="button" @click=${() => this.loadOwn()}>${t('common.retry')}</button>`;
    }
    if (!this.ownUnit) return html`<p>${t('people.noUnit')}</p>`;
    return html`
      <p class="muted">${t('people.ownUnit', { name: this.ownUnit.name })}</p>
      ${this.renderUnits()} ${this.renderUsers()}
    `;
  }

  private renderUnits() {
    const kinds = CREATE_KINDS;
    return html`<section aria-labelledby="units-h">
      <h2 id="units-h">${t('people.units')}</h2>
      <div class="filters">
        <div>
          <label for="kind-filter">${t('people.kindFilter')}</label>
          <select id="kind-filter" .value=${this.kindFilter}
            @change=${(e: Event) => {
              this.kindFilter = (e.target as HTMLSelectElement).value;
              void this.loadUnits(false);
            }}>
            <option value="">${t('people.allKinds')}</option>
            ${KINDS.map((k) => html`<option value=${k} ?selected=${k === this.kindFilter}>${t(`people.kind.${k}`)}</option>`)}
          </select>
        </div>
      </div>
      <h3 id="units-list-h">${t('people.unitsList')}</h3>
      ${
        this.units.length
          ? html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="units-list-h"><table aria-labelledby="units-list-h">
            <thead><tr><th scope="col">${t('people.code')}</th><th scope="col">${t('people.name')}</th><th scope="col">${t('people.kind')}</th></tr></thead>
            <tbody>${this.units.map((u) => html`<tr><td>${u.code}</td><td>${u.name}</td><td>${t(`people.kind.${u.kind}`)}</td></tr>`)}</tbody>
          </table></div>`
          : this.unitsState === 'idle'
            ? html`<p class="muted">${t('people.noUnits')}</p>`
            : nothing
      }
      <div aria-live="polite">
        ${this.unitsState === 'loading' ? html`<p>${t('common.loading')}</p>` : nothing}
        ${this.unitsState === 'error' ? html`<p class="error">${this.unitsError}</p>` : nothing}
      </div>
      ${this.unitsState === 'error' ? html`<button type="button" @click=${() => this.loadUnits(this.units.length > 0)}>${t('common.retry')}</button>` : nothing}
      ${
        this.unitsCursor && this.unitsState === 'idle'
          ? html`<button type="button" class="secondary" @click=${() => this.loadUnits(true)}>${t('people.more')}</button>`
          : nothing
      }

      <form class="card" @submit=${this.createUnit} novalidate aria-labelledby="new-unit-h">
        <h3 id="new-unit-h">${t('people.newUnit')}</h3>
        <div role="alert">${this.unitMessage ? html`<p class="error">${this.unitMessage}</p>` : nothing}</div>
        ${this.select(
          'unit-parentId',
          t('people.parent'),
          this.unitErrors.parentId,
          this.unitValues.parentId,
          this.knownUnits().map((u) => [u.id, u.name]),
        )}
        ${this.select(
          'unit-kind',
          t('people.kind'),
          this.unitErrors.kind,
          this.unitValues.kind,
          kinds.map((k) => [k, t(`people.kind.${k}`)]),
        )}
        ${field({ id: 'unit-code', label: t('people.code'), hint: t('people.codeHint'), error: this.unitErrors.code, value: this.unitValues.code, required: true })}
        ${field({ id: 'unit-name', label: t('people.unitName'), error: this.unitErrors.name, value: this.unitValues.name, required: true })}
        <div class="actions">
          <button type="submit" ?disabled=${this.unitBusy}>${this.unitBusy ? t('people.creating') : t('people.createUnit')}</button>
        </div>
        <p role="status" class="ok">${this.unitStatus}</p>
      </form>
    </section>`;
  }

  private select(id: string, label: string, error: string | undefined, value: string, options: string[][]) {
    return html`<div>
      <label for=${id}>${label}</label>
      <select id=${id} name=${id} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${id}-error` : nothing}>
        ${options.map(([v, l]) => html`<option value=${v} ?selected=${v === value}>${l}</option>`)}
      </select>
      ${error ? html`<p id="${id}-error" class="error">${error}</p>` : nothing}
    </div>`;
  }

  private renderUsers() {
    const roles = grantable();
    return html`<section aria-labelledby="users-h">
      <h2 id="users-h">${t('people.users')}</h2>
      <div class="filters">
        <div>
          <label for="user-unit-filter">${t('people.unitFilter')}</label>
          <select id="user-unit-filter"
            @change=${(e: Event) => {
              this.userUnitFilter = (e.target as HTMLSelectElement).value;
              void this.loadUsers(false);
            }}>
            <option value="">${t('people.allUnits')}</option>
            ${this.knownUnits().map((u) => html`<option value=${u.id} ?selected=${u.id === this.userUnitFilter}>${u.name}</option>`)}
          </select>
        </div>
        <div>
          <label for="role-filter">${t('people.roleFilter')}</label>
          <select id="role-filter"
            @change=${(e: Event) => {
              this.roleFilter = (e.target as HTMLSelectElement).value;
              void this.loadUsers(false);
            }}>
            <option value="">${t('people.allRoles')}</option>
            ${OFFERED_ROLES.map((r) => html`<option value=${r} ?selected=${r === this.roleFilter}>${t(`people.role.${r}`)}</option>`)}
          </select>
        </div>
      </div>
      <h3 id="users-list-h">${t('people.usersList')}</h3>
      <p role="status" class="ok">${this.rolesStatus}</p>
      ${
        this.users.length
          ? html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="users-list-h"><table aria-labelledby="users-list-h">
            <thead><tr>
              <th scope="col">${t('people.fullName')}</th><th scope="col">${t('people.contact')}</th>
              <th scope="col">${t('people.unit')}</th><th scope="col">${t('people.roles')}</th>
              <th scope="col">${t('people.createdAt')}</th><th scope="col">${t('people.actions')}</th>
            </tr></thead>
            <tbody>${this.users.map(
              (u) => html`<tr>
                <td>${u.fullName}</td><td>${u.email ?? u.phoneDisplay ?? u.phone ?? ''}</td>
                <td>${this.unitName(u.orgUnitId)}</td><td>${this.roleLabels(u.roles)}</td>
                <td>${fmtDate(u.createdAt)}</td>
                <td><button type="button" class="secondary" data-user=${u.id}
                  aria-label=${t('people.editRolesOf', { name: u.fullName })}
                  @click=${() => this.openRoles(u)}>${t('people.editRoles')}</button></td>
              </tr>`,
            )}</tbody>
          </table></div>`
          : this.usersState === 'idle'
            ? html`<p class="muted">${t('people.noUsers')}</p>`
            : nothing
      }
      <div aria-live="polite">
        ${this.usersState === 'loading' ? html`<p>${t('common.loading')}</p>` : nothing}
        ${this.usersState === 'error' ? html`<p class="error">${this.usersError}</p>` : nothing}
      </div>
      ${this.usersState === 'error' ? html`<button type="button" @click=${() => this.loadUsers(this.users.length > 0)}>${t('common.retry')}</button>` : nothing}
      ${
        this.usersCursor && this.usersState === 'idle'
          ? html`<button type="button" class="secondary" @click=${() => this.loadUsers(true)}>${t('people.more')}</button>`
          : nothing
      }
      ${this.editing ? this.renderRoleEditor(this.editing, roles) : nothing}

      <form class="card" @submit=${this.createUser} novalidate aria-labelledby="new-user-h">
        <h3 id="new-user-h">${t('people.newUser')}</h3>
        <div role="alert">${this.userMessage ? html`<p class="error">${this.userMessage}</p>` : nothing}</div>
        ${field({ id: 'user-fullName', label: t('people.fullName'), error: this.userErrors.fullName, value: this.userValues.fullName, autocomplete: 'off', required: true })}
        ${field({
          id: 'user-contact',
          label: t('people.contact'),
          hint: t('people.contactHint'),
          error: this.userErrors.contact,
          value: this.userValues.identifier,
          autocomplete: 'off',
          required: true,
        })}
        ${field({
          id: 'user-password',
          label: t('people.password'),
          hint: t('people.passwordHint'),
          type: 'password',
          error: this.userErrors.password,
          autocomplete: 'new-password',
          required: true,
        })}
        ${this.select(
          'user-orgUnitId',
          t('people.unit'),
          this.userErrors.orgUnitId,
          this.userValues.orgUnitId,
          this.knownUnits().map((u) => [u.id, u.name]),
        )}
        ${this.roleBoxes('user-role', roles, this.userValues.roles, this.userErrors.roles)}
        <div class="actions">
          <button type="submit" ?disabled=${this.userBusy}>${this.userBusy ? t('people.creating') : t('people.createUser')}</button>
        </div>
        <p role="status" class="ok">${this.userStatus}</p>
      </form>
    </section>`;
  }

  private roleBoxes(name: string, roles: string[], checked: string[], error?: string) {
    const described = [`${name}-hint`, error ? `${name}-error` : ''].filter(Boolean).join(' ');
    return html`<fieldset aria-describedby=${described}>
      <legend>${t('people.roles')}</legend>
      <p id="${name}-hint" class="muted hint">${t('people.rolesHint')}</p>
      ${roles.map(
        (r) => html`<div class="check">
          <input type="checkbox" id="${name}-${r}" name=${name} value=${r} .checked=${live(checked.includes(r))} />
          <label for="${name}-${r}">${t(`people.role.${r}`)}</label>
        </div>`,
      )}
      ${error ? html`<p id="${name}-error" class="error">${error}</p>` : nothing}
    </fieldset>`;
  }

  private renderRoleEditor(user: User, roles: string[]) {
    return html`<form class="card" @submit=${this.saveRoles} aria-labelledby="roles-editor-title">
      <h3 id="roles-editor-title" tabindex="-1">${t('people.editRolesTitle', { name: user.fullName })}</h3>
      <div role="alert">${this.editError ? html`<p class="error">${this.editError}</p>` : nothing}</div>
      ${this.roleBoxes('edit-role', roles, this.editRoles)}
      <div class="actions">
        <button type="submit" ?disabled=${this.editBusy}>${this.editBusy ? t('people.creating') : t('people.saveRoles')}</button>
        <button type="button" class="secondary" @click=${() => this.closeRoles()}>${t('people.cancel')}</button>
      </div>
    </form>`;
  }
}

customElements.define('hc-admin-people-page', AdminPeoplePage);
