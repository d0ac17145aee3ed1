import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@hocso/config';

export interface OutboxMessage {
  channel: 'email' | 'sms';
  /** e-mail address or E.164 phone number */
  to: string;
  text: string;
  at: Date;
}

const KEEP = 200;

/**
 * Where invitation messages go in development and test when no SMTP server or SMS gateway is
 * configured: the last 200 are kept in memory (tests read codes and links from here) and, in
 * development only, logged so a developer can activate accounts. Never used in production — a
 * message there with no transport is simply not sent, and nothing secret is logged.
 */
@Injectable()
export class DevMessageOutbox {
  private readonly logger = new Logger('DevMessageOutbox');
  readonly messages: OutboxMessage[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  add(message: Omit<OutboxMessage, 'at'>): void {
    if (this.config.env === 'production') {
      throw new Error('DevMessageOutbox must not be used in production');
    }
    this.messages.push({ ...message, at: new Date() });
    if (this.messages.length > KEEP) this.messages.splice(0, this.messages.length - KEEP);
    if (this.config.env === 'development') {
      this.logger.log(`${message.channel} to ${message.to} (no transport configured, not sent):\n${message.text}`);
    }
  }

  /** The latest message to this address or phone number, if any. */
  last(to: string): OutboxMessage | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (this.messages[i].to === to) return this.messages[i];
    }
    return undefined;
  }
}
