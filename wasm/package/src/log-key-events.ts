// SPDX-License-Identifier: Apache-2.0
// Key rotations and revocations as log events (wasm/bindings/log_key_events.cc
// over core/log/key_events.h; docs/spec/log.md §9.5, group.md §9): a key-chain
// link (issueKeyLink) becomes a rotate event signed by the old key naming the
// new card, a key revocation (issueKeyRevocation) a revoke event signed by its
// signer, so that KeyDirectory applies them; a peer that fetched the link or
// revocation bytes checks the logged event against them.
import { checkBytes, checkBytesOrString, readFields } from './checks.js';
import { invoke, outBytes, outKeyId, outMillis, outNum, outText, release, u32 } from './heap.js';
import { identityHandle } from './identity.js';
import type { Identity } from './identity.js';
import { mod } from './loading.js';
import { type AuthorChains, authorChainsHandle } from './log-chain.js';
import type { ParsedLogEvent } from './log-event.js';

/** @internal */
declare module './medseal_core.mjs' {
  interface MedsealCoreModule {
    /** 0 old key (u32), 1 link, 2 chains (u32); num = seq, millis = time, slots 0 encoded, 1 type, 2 author, 3 hash, 4 entry, 5 leaf hash. */
    _logRotationEvent(args: number): number;
    /** 0 signer (u32), 1 revocation, 2 chains (u32); as _logRotationEvent. */
    _logRevocationEvent(args: number): number;
    /** 0 encoded event, 1 link. */
    _logMatchRotationEvent(args: number): number;
    /** 0 encoded event, 1 revocation. */
    _logMatchRevocationEvent(args: number): number;
  }
}

/** The options of rotationEvent and revocationEvent. */
export interface KeyEventOptions {
  /**
   * The author's chains: the event takes the next seq and prev from them.
   * They are not advanced: append the event (`chains.append(event.encoded)`)
   * once the log accepted it.
   */
  chains: AuthorChains;
}

function readEvent(): ParsedLogEvent {
  const m = mod();
  try {
    return {
      encoded: outText(m, 0),
      type: outText(m, 1),
      author: outKeyId(m, 2),
      seq: outNum(m),
      time: outMillis(m),
      hash: outBytes(m, 3),
      entry: outBytes(m, 4),
      leafHash: outBytes(m, 5),
    };
  } finally {
    release(m);
  }
}

/**
 * The rotate event for `link` (a key-chain link from issueKeyLink), signed
 * by `oldKey` (key N): its one card subject is the new key id, its time the
 * link's. SENDER_MISMATCH when oldKey is not the link's previous key; the
 * link's own codes (KEY_ID_MISMATCH, MALFORMED, SIGNATURE_INVALID: a link
 * that does not verify is never published).
 */
export function rotationEvent(
  oldKey: Identity,
  link: Uint8Array,
  options: KeyEventOptions,
): ParsedLogEvent {
  const m = mod();
  const o = readFields(options, 'options', ['chains'] as const);
  invoke(m, m._logRotationEvent, [
    u32(identityHandle(oldKey, 'oldKey')),
    checkBytes(link, 'link'),
    u32(authorChainsHandle(o.chains, 'options.chains')),
  ]);
  return readEvent();
}

/**
 * The revoke event for `revocation` (from issueKeyRevocation), signed by
 * `signer` (the revocation's signer: the revoked key itself or a later key
 * of its chain): its one card subject is the revoked key id.
 * SENDER_MISMATCH when signer is not the revocation's signer,
 * SIGNATURE_INVALID when the revocation's signature does not verify.
 */
export function revocationEvent(
  signer: Identity,
  revocation: Uint8Array,
  options: KeyEventOptions,
): ParsedLogEvent {
  const m = mod();
  const o = readFields(options, 'options', ['chains'] as const);
  invoke(m, m._logRevocationEvent, [
    u32(identityHandle(signer, 'signer')),
    checkBytes(revocation, 'revocation'),
    u32(authorChainsHandle(o.chains, 'options.chains')),
  ]);
  return readEvent();
}

/**
 * Checks that a logged event is the rotate event for `link`: type rotate,
 * author = the link's previous key, the one card subject = its next key, the
 * link's time; LOG_ENTRY_MODIFIED otherwise. The event's signature is
 * checked by verifyLogEvent.
 */
export function matchRotationEvent(event: Uint8Array | string, link: Uint8Array): void {
  const m = mod();
  invoke(m, m._logMatchRotationEvent, [
    checkBytesOrString(event, 'event'),
    checkBytes(link, 'link'),
  ]);
}

/** The same for a revoke event and its revocation: LOG_ENTRY_MODIFIED when they differ. */
export function matchRevocationEvent(event: Uint8Array | string, revocation: Uint8Array): void {
  const m = mod();
  invoke(m, m._logMatchRevocationEvent, [
    checkBytesOrString(event, 'event'),
    checkBytes(revocation, 'revocation'),
  ]);
}
