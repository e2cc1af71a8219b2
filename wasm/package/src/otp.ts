// SPDX-License-Identifier: Apache-2.0
// One-time passwords (wasm/bindings/otp.cc, docs/spec/otp.md): HOTP (RFC
// 4226) and TOTP (RFC 6238) with SHA-1, SHA-256 or SHA-512 and 6-8 digits,
// the replay-safe TOTP verifier (+/-1 step, each code accepted once), and
// otpauth:// provisioning URIs.
//
// TOTP is a login factor for the relay, never key material: nothing in
// medseal derives, wraps or unlocks a key with an OTP secret or code.
// Secrets and URIs (which contain the secret) cross as Uint8Array only,
// never as strings; a code is a string (short-lived, typed by a person).
import { checkBytes, checkMillis, checkString, fail, millisOrNow, readFields } from './checks.js';
import { invoke, outBytes, outNum, outText, outWords, release, u32, f64 } from './heap.js';
import { mod } from './loading.js';
import type { MedsealCoreModule } from './medseal_core.mjs';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 size (u32); slot 0 = the secret. */
    _otpGenerateSecret(args: number): number;
    /** 0 secret, 1-2 counter high/low (u32), 3 algorithm, 4 digits; slot 0 = code. */
    _otpHotpCode(args: number): number;
    /** 0 secret, 1 algorithm, 2 digits, 3 period, 4 time (f64); slot 0 = code. */
    _otpTotpCode(args: number): number;
    /** 0 secret, 1 code, 2-4 algorithm/digits/period, 5 now, 6 last step; num = new step. */
    _otpVerifyTotp(args: number): number;
    /** 0 issuer, 1 account, 2 secret, 3-5 algorithm/digits/period; slot 0 = URI bytes. */
    _otpauthFormat(args: number): number;
    /** 0 URI; slots 0-3 = issuer, account, secret, algorithm; 4 = digits, period. */
    _otpauthParse(args: number): number;
  }
}

/** The HMAC of HOTP/TOTP, spelled as in otpauth:// URIs. */
export type OtpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** HOTP parameters. Defaults: SHA1, 6 digits (what every authenticator app supports). */
export interface HotpOptions {
  algorithm?: OtpAlgorithm;
  /** 6, 7 or 8. */
  digits?: number;
}

/** TOTP parameters. Defaults: SHA1, 6 digits, a 30-second period (T0 is the epoch). */
export interface TotpOptions extends HotpOptions {
  /** Seconds per time step, 1..3600. */
  period?: number;
}

/**
 * What the relay stores per enrolled factor next to the (encrypted) secret
 * and passes to the next verifyTotp: the last accepted time step (-1: none).
 */
export interface TotpVerifierState {
  readonly lastAcceptedStep: number;
}

/** Options of verifyTotp. */
export interface VerifyTotpOptions extends TotpOptions {
  /** The state persisted after the last accepted code; default: none accepted yet. */
  state?: TotpVerifierState;
  /** ms since the epoch; default Date.now(). */
  now?: number;
}

/** A TOTP key as an otpauth:// URI carries it. */
export interface OtpauthKey {
  /** The service, e.g. "Clinic"; "" when the URI names none. */
  readonly issuer: string;
  /** The user's account at the service, e.g. "alice@example.org". */
  readonly account: string;
  /** The shared secret (16..128 bytes). */
  readonly secret: Uint8Array;
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly period: number;
}

/** The input of formatOtpauthUri: issuer and the parameters are optional. */
export interface OtpauthKeyInput extends TotpOptions {
  issuer?: string;
  account: string;
  secret: Uint8Array;
}

// Size of a generated secret: 20 bytes (160 bits, RFC 4226's recommendation).
const OTP_DEFAULT_SECRET_BYTES = 20;

interface Params {
  algorithm: string;
  digits: number;
  period: number;
}

// Reads the parameter fields once. Names and ranges are the core's to judge;
// here only the JS types (a number that is not a u32 cannot reach the core).
function params(x: Record<'algorithm' | 'digits' | 'period', unknown>, what: string): Params {
  const algorithm =
    x.algorithm === undefined ? 'SHA1' : checkString(x.algorithm, `${what}.algorithm`);
  return {
    algorithm,
    digits: smallCount(x.digits, 6, `${what}.digits`),
    period: smallCount(x.period, 30, `${what}.period`),
  };
}

function smallCount(x: unknown, fallback: number, what: string): number {
  if (x === undefined) return fallback;
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 0xffffffff) {
    fail('INVALID_ARGUMENT', `${what} must be an integer`);
  }
  return x;
}

function takeSecret(m: MedsealCoreModule, slot: number): Uint8Array {
  try {
    return outBytes(m, slot);
  } finally {
    release(m);
  }
}

// A code: copied out, and the core's copy wiped at once.
function takeCode(m: MedsealCoreModule): string {
  try {
    return outText(m, 0);
  } finally {
    release(m);
  }
}

/** A fresh random OTP secret (16..128 bytes; default 20) from the platform CSPRNG. */
export function generateOtpSecret(size: number = OTP_DEFAULT_SECRET_BYTES): Uint8Array {
  const m = mod();
  invoke(m, m._otpGenerateSecret, [u32(smallCount(size, OTP_DEFAULT_SECRET_BYTES, 'size'))]);
  return takeSecret(m, 0);
}

/** The HOTP code (RFC 4226) for `counter` (a safe integer >= 0). */
export function hotpCode(secret: Uint8Array, counter: number, options: HotpOptions = {}): string {
  const m = mod();
  const s = checkBytes(secret, 'secret');
  if (typeof counter !== 'number' || !Number.isSafeInteger(counter) || counter < 0) {
    fail('INVALID_ARGUMENT', 'counter must be a safe integer >= 0');
  }
  const o = readFields(options, 'options', ['algorithm', 'digits']);
  const p = params({ ...o, period: undefined }, 'options');
  const high = Math.floor(counter / 4294967296);
  invoke(m, m._otpHotpCode, [
    s,
    u32(high),
    u32(counter - high * 4294967296),
    p.algorithm,
    u32(p.digits),
  ]);
  return takeCode(m);
}

/** The TOTP code (RFC 6238) at `time` (ms since the epoch; default Date.now()). */
export function totpCode(secret: Uint8Array, time?: number, options: TotpOptions = {}): string {
  const m = mod();
  const s = checkBytes(secret, 'secret');
  const t = millisOrNow(time, 'time');
  const p = params(readFields(options, 'options', ['algorithm', 'digits', 'period']), 'options');
  invoke(m, m._otpTotpCode, [s, p.algorithm, u32(p.digits), u32(p.period), f64(t)]);
  return takeCode(m);
}

/**
 * Verifies a TOTP code at `options.now` against the steps T-1, T and T+1.
 * Returns the new state, which the caller MUST persist before accepting the
 * login; throws MedsealError OTP_MISMATCH (no step matches), OTP_REPLAYED
 * (the code, or a newer one, was already accepted) or MALFORMED (not
 * `digits` ASCII digits). A failure never changes the state.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  options: VerifyTotpOptions = {},
): TotpVerifierState {
  const m = mod();
  const s = checkBytes(secret, 'secret');
  const c = checkString(code, 'code');
  const o = readFields(options, 'options', ['algorithm', 'digits', 'period', 'state', 'now']);
  const p = params(o, 'options');
  const now = millisOrNow(o.now, 'options.now');
  let last = -1;
  if (o.state !== undefined) {
    const st = readFields(o.state, 'options.state', ['lastAcceptedStep']);
    last = checkMillis(st.lastAcceptedStep, 'options.state.lastAcceptedStep');
  }
  invoke(m, m._otpVerifyTotp, [
    s,
    c,
    p.algorithm,
    u32(p.digits),
    u32(p.period),
    f64(now),
    f64(last),
  ]);
  return Object.freeze({ lastAcceptedStep: outNum(m) });
}

/**
 * The otpauth:// URI for an authenticator app (to show once as a QR code),
 * as UTF-8 bytes: it contains the secret, so it is not returned as a string.
 */
export function formatOtpauthUri(key: OtpauthKeyInput): Uint8Array {
  const m = mod();
  const k = readFields(key, 'key', [
    'issuer',
    'account',
    'secret',
    'algorithm',
    'digits',
    'period',
  ]);
  const issuer = k.issuer === undefined ? '' : checkString(k.issuer, 'key.issuer');
  const account = checkString(k.account, 'key.account');
  const secret = checkBytes(k.secret, 'key.secret');
  const p = params(k, 'key');
  invoke(m, m._otpauthFormat, [issuer, account, secret, p.algorithm, u32(p.digits), u32(p.period)]);
  return takeSecret(m, 0);
}

/**
 * Parses an otpauth://totp/ URI strictly (docs/spec/otp.md §4: the rules U1-U12
 * and their codes). Pass the bytes read from the QR code; a string is accepted
 * too, for URIs that already are one.
 */
export function parseOtpauthUri(uri: Uint8Array | string): OtpauthKey {
  const m = mod();
  const u = typeof uri === 'string' ? checkString(uri, 'uri') : checkBytes(uri, 'uri');
  invoke(m, m._otpauthParse, [u]);
  try {
    const [digits, period] = outWords(m, 4);
    return Object.freeze({
      issuer: outText(m, 0),
      account: outText(m, 1),
      secret: outBytes(m, 2),
      algorithm: outText(m, 3) as OtpAlgorithm,
      digits: digits!,
      period: period!,
    });
  } finally {
    release(m);
  }
}
