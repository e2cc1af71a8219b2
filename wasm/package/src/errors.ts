// SPDX-License-Identifier: Apache-2.0
import { ErrorCode, errorCodeName, type ErrorCodeName } from './codes.js';

/**
 * Every failure caused by data or by a call's arguments. `code` is one of the
 * stable names of docs/errors.md; `message` is for developers only and never
 * contains key or patient bytes. Programming errors that are not about data
 * (calling before init() resolved) throw a plain Error instead.
 */
export class MedsealError extends Error {
  readonly code: ErrorCodeName;
  readonly numericCode: number;

  constructor(code: ErrorCodeName, message: string) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'MedsealError';
    this.code = code;
    this.numericCode = ErrorCode[code];
  }
}

// Its name survives the bundle's minified identifiers.
Object.defineProperty(MedsealError, 'name', { value: 'MedsealError', configurable: true });

/**
 * @internal The error for a numeric code returned by the core. An unknown number (a
 * newer core than this wrapper) becomes INTERNAL, keeping the number in the
 * message.
 */
export function errorFromCore(numericCode: number, message: string): MedsealError {
  const name = errorCodeName(numericCode);
  if (name === undefined) {
    return new MedsealError('INTERNAL', `unknown core error ${numericCode}: ${message}`);
  }
  return new MedsealError(name, message);
}
