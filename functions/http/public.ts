/** Lambda entry for the `public` route group (lib/manifest.ts): keyless, bounded invoice creation. */
import { httpGroup } from '../kit/http';

export const handler = httpGroup([]);
