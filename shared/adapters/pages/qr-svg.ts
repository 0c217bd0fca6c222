/** QR codes as inline SVG, rendered on the server: the page ships no QR script. */
import QRCode from 'qrcode';
import type { QrRenderer } from '../../ports';

export const qrSvg: QrRenderer = {
  svg: (text) => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
};
