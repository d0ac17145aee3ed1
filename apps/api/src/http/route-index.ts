import FindMyWay from 'find-my-way';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Every registered route, kept so an unmatched request can be told apart: a path that exists with
 * other methods gets 405 and an Allow header, anything else 404.
 */
export class RouteIndex {
  private readonly router = FindMyWay({ ignoreTrailingSlash: true });
  private readonly entries = new Set<string>();

  add(method: string | string[], url: string) {
    for (const m of Array.isArray(method) ? method : [method]) {
      if (!(METHODS as readonly string[]).includes(m)) continue;
      this.entries.add(`${m} ${url}`);
      try {
        this.router.on(m as (typeof METHODS)[number], url, () => undefined);
      } catch {
        /* duplicate registration (e.g. HEAD added by fastify for GET): already indexed */
      }
    }
  }

  /** Every registered "METHOD /path" (for the API inventory check). */
  list(): string[] {
    return [...this.entries].sort();
  }

  /** Methods the path supports, or an empty list when no route matches the path at all. */
  allowedMethods(url: string): string[] {
    const path = url.split('?')[0];
    return METHODS.filter((m) => m !== 'OPTIONS' && this.router.find(m, path) !== null);
  }
}
