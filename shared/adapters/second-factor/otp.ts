/**
 * TOTP through otplib 13 (RFC 6238: SHA-1, 6 digits, 30 s, what every authenticator app reads),
 * and recovery codes from node:crypto. The time is the caller's: otplib is given `epoch`, so it
 * never reads the wall clock here.
 */
import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { TOTP_STEP_SECONDS, TOTP_TOLERANCE_SECONDS } from '../../domain/second-factor';
import type { TotpEngine } from '../../ports/second-factor';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const RECOVERY_HALF_LENGTH = 5;

const half = () => Array.from({ length: RECOVERY_HALF_LENGTH }, () => BASE32[randomInt(BASE32.length)]).join('');

export const otplibTotp: TotpEngine = {
  newSecret: () => generateSecret(),
  // A colon separates issuer and account in the label: one in a project's name would split it.
  otpauthUri: ({ issuer, account, secret }) => generateURI({ issuer, label: account.replace(/:/g, ' '), secret, period: TOTP_STEP_SECONDS }),
  async verify({ secret, token, at, afterTimeStep }) {
    const result = await verify({ secret, token, epoch: Math.floor(at / 1000), period: TOTP_STEP_SECONDS, epochTolerance: TOTP_TOLERANCE_SECONDS, ...(afterTimeStep === undefined ? {} : { afterTimeStep }) });
    return result.valid && 'timeStep' in result ? { valid: true, timeStep: result.timeStep } : { valid: false };
  },
  newRecoveryCodes: (count) => Array.from({ length: count }, () => `${half()}-${half()}`),
  hashRecoveryCode: (normalized) => createHash('sha256').update(`tollgate-recovery:${normalized}`).digest('hex'),
};
