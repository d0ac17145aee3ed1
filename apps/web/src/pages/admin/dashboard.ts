import { html } from 'lit';
import { t } from '../../i18n';
import { Page } from '../../ui/page';
import { base } from '../../ui/styles';

/** Placeholder until the page is built. */
export class KpiDashboardPage extends Page {
  static override styles = [base];

  override render() {
    this.setTitle('');
    return html`<h1>${t('app.name')}</h1>`;
  }
}

customElements.define('hc-kpi-dashboard-page', KpiDashboardPage);
