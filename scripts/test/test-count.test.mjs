// SPDX-License-Identifier: Apache-2.0
// Tests of scripts/lib/test-count.sh, which scripts/test-all.sh uses to
// count what ctest and node --test report and to hold each step to its floor
// in .ci/test-floors: counts read from sample outputs of both runners, and a
// step that passes zero tests, fewer than its floor, or has no floor fails.
// Also checks that the committed floors file is well formed and lists
// exactly the steps test-all.sh counts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const lib = path.join(repoRoot, 'scripts', 'lib', 'test-count.sh');

let tmp;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-count-test-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function file(text) {
  const f = path.join(tmp, `f${n++}`);
  fs.writeFileSync(f, text);
  return f;
}

// Runs FN ARGS... from the library under set -euo pipefail.
function call(fn, ...args) {
  const r = spawnSync(
    'bash',
    ['-euo', 'pipefail', '-c', '. "$1"; shift; "$@"', 'test', lib, fn, ...args],
    { encoding: 'utf8' },
  );
  return { status: r.status, out: r.stdout.trim(), err: r.stderr };
}
const count = (kind, text) => call('count_tests', kind, file(text)).out;

const CTEST_OK = `117/119 Test #118: SealedRecord.EncodingsByEnum .....................................   Passed    0.00 sec
        Start 119: vectors_up_to_date
118/119 Test #119: vectors_up_to_date ...............................................   Passed    0.13 sec

100% tests passed, 0 tests failed out of 118

Total Test time (real) =   0.71 sec

The following tests did not run:
\t 85 - RfcKat.Rfc7748X25519IteratedMillion (Disabled)
`;
const CTEST_SKIPPED = `  1/134 Test   #1: TestUtilDeathTest.HexOrDieDiesOnBadHex ....***Skipped   0.14 sec
100% tests passed, 0 tests failed out of 133

Total Test time (real) =  40.12 sec

The following tests did not run:
\t  1 - TestUtilDeathTest.HexOrDieDiesOnBadHex (Skipped)
\t  2 - TestUtilDeathTest.MissingVectorFileDies (Skipped)
\t  3 - ChaChaRngDeathTest.WrongSeedSizeAborts (Skipped)
\t 85 - RfcKat.Rfc7748X25519IteratedMillion (Disabled)
`;
const CTEST_FAILED = `97% tests passed, 3 tests failed out of 118

Total Test time (real) =   0.71 sec

The following tests FAILED:
\t  7 - Hex.Decodes (Failed)
\t  8 - Hex.Rejects (Failed)
\t  9 - Hex.Encodes (SEGFAULT)
Errors while running CTest
`;
const CTEST_NONE = `Test project /work/build/native-release
No tests were found!!!
`;
const tap = ({ pass, fail = 0, cancelled = 0 }) => `TAP version 13
# Subtest: a test
    # Subtest: inner
    ok 1 - inner
    # pass 999
ok 1 - a test
1..${pass + fail}
# tests ${pass + fail + cancelled}
# suites 0
# pass ${pass}
# fail ${fail}
# cancelled ${cancelled}
# skipped 0
# todo 0
# duration_ms 12.5
`;

test('ctest: passed is the total less failed and skipped; disabled tests are not in the total', () => {
  assert.equal(count('ctest', CTEST_OK), '118 0');
  assert.equal(count('ctest', CTEST_SKIPPED), '130 0');
  assert.equal(count('ctest', CTEST_FAILED), '115 3');
  assert.equal(count('ctest', CTEST_NONE), '0 0');
});

test('node --test: the last top-level summary counts; cancelled tests count as failed', () => {
  assert.equal(count('node', tap({ pass: 127 })), '127 0');
  assert.equal(count('node', tap({ pass: 10, fail: 2, cancelled: 1 })), '10 3');
  assert.equal(count('node', tap({ pass: 0 })), '0 0');
  assert.equal(
    count('node', `> medseal@0.1.0 test\n${tap({ pass: 3 })}\n${tap({ pass: 5 })}`),
    '5 0',
  );
  assert.equal(count('node', 'node:internal/modules/cjs/loader:1143\n  throw err;\n'), '0 0');
});

test('an unknown kind of runner is an error', () => {
  assert.equal(call('count_tests', 'jest', file(tap({ pass: 1 }))).status, 2);
});

const FLOORS = `# comment
native-release 118

wasm-tests 127
`;

test('a step at or above its floor passes', () => {
  const floors = file(FLOORS);
  assert.equal(call('check_floor', 'native-release', '118', floors).status, 0);
  assert.equal(call('check_floor', 'wasm-tests', '200', floors).status, 0);
  assert.equal(call('test_floor', 'wasm-tests', floors).out, '127');
});

test('a step below its floor fails, and says so', () => {
  const r = call('check_floor', 'native-release', '117', file(FLOORS));
  assert.equal(r.status, 1);
  assert.match(r.err, /step native-release: 117 tests passed, fewer than its floor 118/);
});

test('a step that passed zero tests fails, whatever its floor', () => {
  const r = call('check_floor', 'wasm-tests', '0', file(FLOORS));
  assert.equal(r.status, 1);
  assert.match(r.err, /step wasm-tests: no test passed/);
});

test('a step missing from the floors file fails, and says which line to add', () => {
  const r = call('check_floor', 'browser', '31', file(FLOORS));
  assert.equal(r.status, 1);
  assert.match(r.err, /step browser has no floor in .*: add the line "browser 31"/);
  // A commented-out line is not a floor.
  assert.equal(call('check_floor', 'browser', '31', file('# browser 31\n')).status, 1);
});

test('a malformed floors file is refused', () => {
  assert.equal(call('check_floors_file', file(FLOORS)).status, 0);
  for (const [text, why] of [
    ['native-release 0\n', /floor of at least 1/],
    ['native-release many\n', /floor of at least 1/],
    ['native-release 118 # note\n', /expected "STEP FLOOR"/],
    ['native-release\n', /expected "STEP FLOOR"/],
    ['native-release 118\nnative-release 120\n', /step native-release listed twice/],
  ]) {
    const r = call('check_floors_file', file(text));
    assert.equal(r.status, 1, text);
    assert.match(r.err, why, text);
  }
  assert.match(call('check_floors_file', path.join(tmp, 'absent')).err, /is missing/);
});

test('a floor for a step that did not run fails', () => {
  const floors = file(FLOORS);
  assert.equal(call('check_all_floors_used', floors, 'native-release', 'wasm-tests').status, 0);
  const r = call('check_all_floors_used', floors, 'native-release');
  assert.equal(r.status, 1);
  assert.match(r.err, /lists steps that did not run: wasm-tests/);
});

test('.ci/test-floors is well formed and lists exactly the steps test-all.sh counts', () => {
  const floors = path.join(repoRoot, '.ci', 'test-floors');
  const r = call('check_floors_file', floors);
  assert.equal(r.status, 0, r.err);
  const listed = fs
    .readFileSync(floors, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
    .map((l) => l.split(/\s+/)[0])
    .sort();
  const script = fs.readFileSync(path.join(repoRoot, 'scripts', 'test-all.sh'), 'utf8');
  const counted = [...script.matchAll(/^run (\S+) (?:ctest|node) /gm)].map((m) => m[1]).sort();
  assert.ok(counted.length >= 8, `only ${counted.length} counted steps found in test-all.sh`);
  assert.deepEqual(listed, counted);
});
