// SPDX-License-Identifier: Apache-2.0
// LogClient.saveState / LogClient.restoreState (src/log.ts over
// core/log/client.h's SaveStateJson / RestoreStateJson; docs/spec/log.md
// §8.7): what a device keeps between sessions, on the checkpoints and
// entries of native-tests/vectors/log/client_v1.json, the file the native
// suite reads. A missing file fails the suite.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { expectCode, fromHex, medseal, repoRoot } from '../test-support/helpers.js';

await medseal.init();

const client = JSON.parse(
  readFileSync(path.join(repoRoot, 'native-tests', 'vectors', 'log', 'client_v1.json'), 'utf8'),
);
const { LogClient, LogOperator, LogPolicy } = medseal;

test('LogClient state: a restored client holds the same checkpoint and own entries, and keeps every rule', () => {
  const policy = LogPolicy.create({ logKey: client.log.vkey });
  const fresh = LogClient.create(policy);
  const empty = fresh.saveState();
  assert.equal(LogClient.restoreState(policy, empty).size, 0);
  // Play the first scenario whose steps are all valid updates and tracks.
  const s = client.scenarios.find(
    (x) =>
      x.policy.quorum === 0 &&
      x.steps.some((st) => st.op === 'track') &&
      x.steps.every((st) => st.result !== 'invalid'),
  );
  assert.ok(s, 'a scenario with tracked entries and no refusal');
  let tracked = 0;
  for (const st of s.steps) {
    if (st.op === 'update') fresh.update(st.note, fromHex(st.proof));
    else if (st.op === 'track') {
      fresh.trackOwnEntry(st.index, fromHex(st.entry));
      tracked++;
    }
  }
  assert.ok(tracked > 0);
  const state = fresh.saveState();
  assert.equal(typeof state, 'string');
  const restored = LogClient.restoreState(policy, state);
  assert.equal(restored.size, fresh.size);
  assert.equal(restored.saveState(), state, 'save(restore(state)) is the same text');
  // The restored client refuses what the original refuses: an older checkpoint.
  const older = s.steps.find((st) => st.op === 'update' && st.sizeAfter < fresh.size);
  if (older) expectCode(() => restored.update(older.note, new Uint8Array()), 'LOG_TRUNCATED');
  // Bad states: each its code, nothing crashes.
  expectCode(() => LogClient.restoreState(policy, ''), 'MALFORMED');
  expectCode(() => LogClient.restoreState(policy, '{'), 'MALFORMED');
  const doc = JSON.parse(state);
  expectCode(
    () => LogClient.restoreState(policy, JSON.stringify({ ...doc, own: 'x' })),
    'MALFORMED',
  );
  expectCode(
    () => LogClient.restoreState(policy, JSON.stringify({ ...doc, v: 99 })),
    'UNSUPPORTED_VERSION',
  );
  expectCode(() => LogClient.restoreState(policy, 42), 'INVALID_ARGUMENT');
  // Under another operator key of the same origin the held checkpoint no longer verifies.
  const origin = client.log.vkey.split('+')[0];
  const op = LogOperator.fromSeed(origin, new Uint8Array(32).fill(3));
  const other = LogPolicy.create({ logKey: op.verifierKey });
  expectCode(() => LogClient.restoreState(other, state), 'SIGNATURE_INVALID');
  for (const x of [fresh, restored, policy, other, op]) x.dispose();
});
