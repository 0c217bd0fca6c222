/** What the customer pages need besides the stores: rate counters and QR codes. */

import type { Instant } from '../domain/time';

/** Counts one client's requests to a class of public routes in one time window. */
export interface RateCounter {
  /** Adds one request and returns the window's count so far, this one included. */
  hit(limit: string, client: string, window: number, expiresAt: Instant): Promise<number>;
}

/** Renders a QR code of a text (a payment URI or an address) as an inline SVG document. */
export interface QrRenderer {
  svg(text: string): Promise<string>;
}
