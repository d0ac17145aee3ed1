import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signature, Stripe-style: header `Hocso-Signature: t=<unix seconds>,v1=<hex>` where v1 is
 * HMAC-SHA256(secret, "<t>.<raw body>"). Receivers recompute it over the raw body and reject
 * timestamps older than a few minutes (replay).
 */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** Verifies a signature header (for receivers and tests); false when stale or not matching. */
export function verifyWebhook(
  secret: string,
  body: string,
  header: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// The outbound-URL guards moved to @hocso/common (LRS forwarding and LTI use them too).
export { assertDeliverable, isPrivateAddress, webhookUrlProblem } from '@hocso/common';
