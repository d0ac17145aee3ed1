/**
 * What kind of failure a domain error is; the api's one problem+json filter maps each kind to an
 * HTTP status (exhaustively). Libraries never throw HTTP exceptions.
 */
export type DomainErrorKind =
  | 'invalid' // 400: the request cannot be understood as sent
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'unprocessable' // 422: well-formed but breaks a rule
  | 'rate_limited' // 429
  | 'not_implemented' // 501: a recognised request for something this server does not do (e.g. an oEmbed format)
  | 'unavailable'; // 503

export interface LocalizedText {
  vi: string;
  en: string;
}

export interface DomainErrorDefinition {
  kind: DomainErrorKind;
  message: LocalizedText;
}

export abstract class DomainException<C extends string = string> extends Error {
  abstract readonly definitions: Record<C, DomainErrorDefinition>;

  constructor(
    readonly code: C,
    readonly options: {
      field?: string;
      retryAfterSeconds?: number;
      /** Extra members merged into the problem document (no secrets, no personal data). */
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(code);
    this.name = new.target.name;
  }

  get kind(): DomainErrorKind {
    return this.definitions[this.code].kind;
  }

  messageIn(locale: 'vi' | 'en'): string {
    return this.definitions[this.code].message[locale];
  }
}

export function assertUnreachable(x: never): never {
  throw new Error(`unreachable: ${String(x)}`);
}
