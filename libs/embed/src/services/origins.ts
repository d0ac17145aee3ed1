import { EmbedException, EmbedExceptionCode } from '../embed.exception';

/**
 * An allowed origin as integrators register it: `https://host[:port]` exactly, or one leading
 * subdomain wildcard `https://*.example.vn` (any single or nested subdomain of example.vn, never
 * example.vn itself). No paths, no other wildcards. http is accepted only outside production (and
 * always for localhost, for development).
 */
export function normalizeOrigin(raw: string, field: string, allowHttp: boolean): string {
  const value = raw.trim().toLowerCase().replace(/\/+$/, '');
  const m = /^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d{1,5}))?$/.exec(value);
  if (!m) throw new EmbedException(EmbedExceptionCode.ORIGIN_INVALID, { field });
  const [, scheme, wildcard, host, port] = m;
  const local = host === 'localhost' || host === '127.0.0.1';
  if (scheme === 'http' && !allowHttp && !local) throw new EmbedException(EmbedExceptionCode.ORIGIN_INVALID, { field });
  // A wildcard needs at least a registrable domain under it ("*.vn" is refused).
  if (wildcard && host.split('.').length < 2) throw new EmbedException(EmbedExceptionCode.ORIGIN_INVALID, { field });
  if (port && (Number(port) < 1 || Number(port) > 65535)) {
    throw new EmbedException(EmbedExceptionCode.ORIGIN_INVALID, { field });
  }
  return `${scheme}://${wildcard ?? ''}${host}${port ? `:${port}` : ''}`;
}

/** Does a request's Origin match a registered pattern? */
export function originMatches(pattern: string, origin: string): boolean {
  if (!pattern.includes('*')) return pattern === origin;
  const m = /^(https?):\/\/\*\.(.+)$/.exec(pattern);
  if (!m) return false;
  const o = /^(https?):\/\/([^/:]+)(:\d+)?$/.exec(origin);
  if (!o || o[1] !== m[1]) return false;
  const [host, port] = [o[2], o[3] ?? ''];
  const [suffixHost, suffixPort = ''] = m[2].split(/(?=:)/);
  return port === suffixPort && host.endsWith(`.${suffixHost}`);
}
