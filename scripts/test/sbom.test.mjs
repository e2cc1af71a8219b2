// SPDX-License-Identifier: Apache-2.0
// Tests of scripts/sbom.mjs, the CycloneDX 1.5 SBOM of the npm package: the
// document validates against the official CycloneDX 1.5 JSON schema (offline,
// from @cyclonedx/cyclonedx-library in scripts/node_modules); every bom-ref is
// unique and every reference resolves; every component has a licence; the
// libsodium hashes and the pqclean tarball's hash, version and PQClean commit
// are the pins of their fetch scripts (read here by bash, not by the
// generator's parser); the package's file hashes are those of the built
// files; the output is deterministic; and the package build writes and ships
// it (wasm/package/dist/sbom.cdx.json, equal to a fresh generation). The
// checks are also run on broken documents, to show that each can fail.
//
//   node --test scripts/test/     (after the package build: scripts/build-wasm.sh)
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
  DIST_FILES,
  LIBSODIUM_FETCH_SCRIPT,
  PACKAGE_DIR,
  PQCLEAN_FETCH_SCRIPT,
  buildSbom,
  repoRoot,
  serialize,
} from '../sbom.mjs';

const require = createRequire(import.meta.url);
const pkgDir = path.join(repoRoot, PACKAGE_DIR);
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package-lock.json'), 'utf8'));
const generator = path.join(repoRoot, 'scripts', 'sbom.mjs');

let tmp;
let text; // the generator's output, run as the build runs it
let bom;
before(() => {
  for (const f of DIST_FILES) {
    assert.ok(
      fs.existsSync(path.join(pkgDir, f)),
      `${PACKAGE_DIR}/${f} is missing: build the package first (scripts/build-wasm.sh)`,
    );
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medseal-sbom-test-'));
  const out = path.join(tmp, 'sbom.cdx.json');
  execFileSync(process.execPath, [generator, '--out', out], { cwd: pkgDir, stdio: 'inherit' });
  text = fs.readFileSync(out, 'utf8');
  bom = JSON.parse(text);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// --- the checks, as functions, so that they can be run on broken documents too

// Every component of the document: top level, nested, pedigree ancestors.
function allComponents(doc) {
  const out = [];
  const walk = (list) => {
    for (const c of list ?? []) {
      out.push(c);
      walk(c.components);
      walk(c.pedigree?.ancestors);
    }
  };
  walk([doc.metadata.component]);
  walk(doc.components);
  return out;
}

function checkRefs(doc) {
  const refs = allComponents(doc).map((c) => c['bom-ref']);
  assert.ok(
    refs.every((r) => typeof r === 'string' && r.length > 0),
    'a component has no bom-ref',
  );
  const dup = refs.filter((r, i) => refs.indexOf(r) !== i);
  assert.deepEqual(dup, [], 'bom-refs are not unique');
  const known = new Set(refs);
  for (const d of doc.dependencies) {
    assert.ok(known.has(d.ref), `dependency ${d.ref} is not a component`);
    for (const on of d.dependsOn) assert.ok(known.has(on), `${d.ref} depends on unknown ${on}`);
  }
  // Every library and tool is in the dependency graph (files and ancestors are not).
  const inGraph = new Set(doc.dependencies.map((d) => d.ref));
  for (const c of allComponents(doc).filter((c) => c.type !== 'file')) {
    if (doc.components.includes(c) || c === doc.metadata.component) {
      assert.ok(inGraph.has(c['bom-ref']), `${c['bom-ref']} is not in the dependency graph`);
    }
  }
}

function checkLicences(doc) {
  for (const c of allComponents(doc).filter((c) => c.type !== 'file')) {
    assert.ok(
      Array.isArray(c.licenses) &&
        c.licenses.length > 0 &&
        c.licenses.every((l) => l.expression || l.license?.id || l.license?.name),
      `${c['bom-ref']} has no licence`,
    );
  }
}

async function schemaErrors(doc) {
  const { Spec, Validation } = require('@cyclonedx/cyclonedx-library');
  const validator = new Validation.JsonValidator(Spec.Version.v1dot5);
  return validator.validate(JSON.stringify(doc));
}

const libsodiumOf = (doc) => doc.components.find((c) => c.name === 'libsodium');

// The pins, as bash itself assigns them in the fetch script.
function pinsFromScript() {
  const script = path.join(repoRoot, LIBSODIUM_FETCH_SCRIPT);
  const out = execFileSync(
    'bash',
    [
      '-c',
      'eval "$(grep -E "^(SODIUM_DEB_VERSION|SHA256_DSC|SHA256_ORIG|SHA256_DEBIAN)=" "$1")"; ' +
        'printf "%s\\n" "$SODIUM_DEB_VERSION" "$SHA256_DSC" "$SHA256_ORIG" "$SHA256_DEBIAN"',
      'pins',
      script,
    ],
    { encoding: 'utf8' },
  ).split('\n');
  const [version, ...sha] = out;
  assert.match(version, /^\d/, `no SODIUM_DEB_VERSION in ${LIBSODIUM_FETCH_SCRIPT}`);
  for (const s of sha.slice(0, 3)) assert.match(s, /^[0-9a-f]{64}$/);
  return { version, sha256: sha.slice(0, 3).sort() };
}

function checkLibsodium(doc) {
  const pins = pinsFromScript();
  const lib = libsodiumOf(doc);
  assert.ok(lib, 'no libsodium component');
  assert.equal(lib.version, pins.version);
  assert.equal(
    lib.purl,
    `pkg:deb/debian/libsodium@${encodeURIComponent(pins.version)}?arch=source`,
  );
  assert.equal(lib.scope, 'required');
  const hashes = lib.externalReferences
    .filter((r) => r.type === 'distribution')
    .flatMap((r) => r.hashes.filter((h) => h.alg === 'SHA-256').map((h) => h.content))
    .sort();
  assert.deepEqual(hashes, pins.sha256, 'libsodium hashes differ from the pins');
}

const pqcleanOf = (doc) => doc.components.find((c) => c.name === 'pqclean');

// pqclean's pins, as bash assigns them in its fetch script.
function pqcleanPinsFromScript() {
  const script = path.join(repoRoot, PQCLEAN_FETCH_SCRIPT);
  const [version, commit, sha256] = execFileSync(
    'bash',
    [
      '-c',
      'eval "$(grep -E "^(PQCLEAN_NPM_VERSION|PQCLEAN_COMMIT|SHA256_TARBALL)=" "$1")"; ' +
        'printf "%s\\n" "$PQCLEAN_NPM_VERSION" "$PQCLEAN_COMMIT" "$SHA256_TARBALL"',
      'pins',
      script,
    ],
    { encoding: 'utf8' },
  ).split('\n');
  assert.match(version, /^\d+\.\d+\.\d+$/, `no PQCLEAN_NPM_VERSION in ${PQCLEAN_FETCH_SCRIPT}`);
  assert.match(commit, /^[0-9a-f]{40}$/);
  assert.match(sha256, /^[0-9a-f]{64}$/);
  return { version, commit, sha256 };
}

function checkPqclean(doc) {
  const pins = pqcleanPinsFromScript();
  const c = pqcleanOf(doc);
  assert.ok(c, 'no pqclean component');
  assert.equal(c.version, pins.version);
  assert.equal(c.purl, `pkg:npm/pqclean@${pins.version}`);
  assert.equal(c.scope, 'required', 'compiled into the module: it ships');
  assert.match(c.description, /compiled from source into medseal_core\.wasm/);
  assert.deepEqual(c.hashes, [{ alg: 'SHA-256', content: pins.sha256 }]);
  const dist = c.externalReferences.find((r) => r.type === 'distribution');
  assert.deepEqual(dist.hashes, [{ alg: 'SHA-256', content: pins.sha256 }]);
  const [upstream] = c.pedigree.ancestors;
  assert.equal(upstream.name, 'PQClean');
  assert.equal(upstream.version, pins.commit);
  assert.equal(upstream.purl, `pkg:github/PQClean/PQClean@${pins.commit}`);
  assert.deepEqual(c.licenses, [{ license: { id: 'CC0-1.0' } }]);
  const deps = doc.dependencies.find((d) => d.ref === doc.metadata.component['bom-ref']);
  assert.ok(deps.dependsOn.includes(c['bom-ref']), 'the package depends on pqclean');
}

function checkPackageFiles(doc) {
  const files = doc.metadata.component.components ?? [];
  assert.deepEqual(files.map((f) => f.name).sort(), [...DIST_FILES].sort());
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(pkgDir, f.name));
    for (const [alg, node] of [
      ['SHA-256', 'sha256'],
      ['SHA-512', 'sha512'],
    ]) {
      const h = f.hashes.find((x) => x.alg === alg);
      assert.ok(h, `${f.name} has no ${alg}`);
      assert.equal(
        h.content,
        crypto.createHash(node).update(bytes).digest('hex'),
        `${f.name} ${alg}`,
      );
    }
  }
}

// --- the generated document -----------------------------------------------------

test('the document is CycloneDX 1.5 and valid against the official JSON schema', async () => {
  assert.equal(bom.bomFormat, 'CycloneDX');
  assert.equal(bom.specVersion, '1.5');
  assert.equal(bom.version, 1);
  assert.equal(await schemaErrors(bom), null);
});

test('it describes the package of wasm/package/package.json, under the licence of LICENSE', () => {
  const c = bom.metadata.component;
  assert.equal(c.name, pkg.name);
  assert.equal(c.version, pkg.version);
  assert.equal(c.purl, `pkg:npm/${pkg.name}@${pkg.version}`);
  assert.deepEqual(c.licenses, [{ license: { id: pkg.license } }]);
  // The repository's licence, the package's and the SPDX headers' are one.
  assert.equal(pkg.license, 'Apache-2.0');
  const licence = fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
  assert.match(licence, /^\s*Apache License\s+Version 2\.0, January 2004/);
});

test('every bom-ref is unique and every dependency resolves', () => checkRefs(bom));

test('every component has a licence', () => checkLicences(bom));

test('libsodium carries the pinned version and the three pinned SHA-256 sums', () => {
  checkLibsodium(bom);
  const lib = libsodiumOf(bom);
  assert.deepEqual(
    lib.pedigree.patches.map((p) => p.resolves?.[0]?.id),
    ['CVE-2025-69277'],
    "Debian's security patch is recorded",
  );
});

test('pqclean carries the pinned npm version, tarball SHA-256 and PQClean commit', () => {
  checkPqclean(bom);
  const pins = pqcleanPinsFromScript();
  // The values this repository pins today (third_party/pqclean/README.md).
  assert.equal(pins.version, '0.8.1');
  assert.ok(pins.commit.startsWith('2cc64716'));
});

test('the package files carry the SHA-256 and SHA-512 of the built files', () =>
  checkPackageFiles(bom));

test('C and C++ dependencies come from the installed Debian packages', () => {
  const dpkg = (name) =>
    execFileSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' });
  const json = bom.components.find((c) => c.name === 'nlohmann-json3-dev');
  assert.equal(json.version, dpkg('nlohmann-json3-dev'));
  assert.equal(json.licenses[0].license.id, 'MIT');
  const em = bom.components.find((c) => c.name === 'emscripten');
  assert.equal(em.version, dpkg('emscripten'));
  assert.equal(em.scope, 'required', "Emscripten's runtime ships in dist/index.js and the .wasm");
  assert.deepEqual(em.components.map((c) => c.name).sort(), [
    'compiler-rt',
    'dlmalloc',
    'libc++',
    'libc++abi',
    'musl',
  ]);
  for (const c of em.components) assert.match(c.version, /^\d+\.\d+\.\d+$/, c.name);
});

test('npm packages are exactly those of the lock file, none of them shipped', () => {
  // pqclean is an npm package too, but not of the lock file: fetch.sh takes
  // C sources from its tarball, compiled into the module (checked above).
  const npm = bom.components.filter((c) => c.purl.startsWith('pkg:npm/') && c !== pqcleanOf(bom));
  const fromLock = Object.entries(lock.packages)
    .filter(([k, v]) => k !== '' && !v.link)
    .map(([k, v]) => `${k.slice(k.lastIndexOf('node_modules/') + 13)}@${v.version}`)
    .sort();
  assert.deepEqual(npm.map((c) => `${c.name}@${c.version}`).sort(), fromLock);
  // The package has no runtime npm dependencies: everything is build tooling.
  assert.deepEqual(pkg.dependencies ?? {}, {});
  assert.deepEqual(
    npm.filter((c) => c.scope !== 'excluded').map((c) => c.name),
    [],
  );
  // A package can be in the lock twice, at two versions (one nested under
  // the package that needs the other, e.g. node_modules/x/node_modules/y):
  // the hash is the one of the entry with the component's name and version.
  const lockEntry = (name, version) =>
    Object.entries(lock.packages).find(
      ([k, v]) => k.slice(k.lastIndexOf('node_modules/') + 13) === name && v.version === version,
    )[1];
  for (const c of npm) {
    const integrity = lockEntry(c.name, c.version).integrity;
    assert.equal(
      c.hashes[0].content,
      Buffer.from(integrity.replace(/^sha512-/, ''), 'base64').toString('hex'),
      c.name,
    );
  }
});

test('the output is deterministic and holds no machine path', () => {
  const again = execFileSync(process.execPath, [generator], { encoding: 'utf8', cwd: os.tmpdir() });
  assert.equal(again, text);
  assert.ok(!text.includes(repoRoot), 'the repository path is in the SBOM');
  assert.ok(!text.includes(os.homedir()), 'the home directory is in the SBOM');
  // The timestamp is SOURCE_DATE_EPOCH if set, else the commit's.
  const commit = execFileSync('git', ['-C', repoRoot, 'log', '-1', '--format=%ct'], {
    encoding: 'utf8',
  });
  const expected = process.env.SOURCE_DATE_EPOCH || commit;
  assert.equal(Date.parse(bom.metadata.timestamp) / 1000, Number(expected));
  const pinned = buildSbom({ env: { SOURCE_DATE_EPOCH: '1700000000' } });
  assert.equal(pinned.metadata.timestamp, '2023-11-14T22:13:20Z');
  const r = spawnSync(process.execPath, [generator], {
    env: { ...process.env, SOURCE_DATE_EPOCH: 'yesterday' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /SOURCE_DATE_EPOCH/);
});

test('the generator follows the fetch script: a moved pin moves the SBOM', () => {
  // A copy of the inputs with one pin changed, as a pin update would.
  const root = path.join(tmp, 'root');
  for (const f of [
    `${PACKAGE_DIR}/package.json`,
    `${PACKAGE_DIR}/package-lock.json`,
    LIBSODIUM_FETCH_SCRIPT,
    PQCLEAN_FETCH_SCRIPT,
  ]) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, f), path.join(root, f));
  }
  const script = path.join(root, LIBSODIUM_FETCH_SCRIPT);
  const before = fs.readFileSync(script, 'utf8');
  const after = before.replace(/^SHA256_ORIG=[0-9a-f]{64}$/m, `SHA256_ORIG=${'ab'.repeat(32)}`);
  assert.notEqual(after, before);
  fs.writeFileSync(script, after);
  const moved = buildSbom({ root, env: { SOURCE_DATE_EPOCH: '0' } });
  const sums = libsodiumOf(moved)
    .externalReferences.flatMap((r) => r.hashes ?? [])
    .map((h) => h.content);
  assert.ok(sums.includes('ab'.repeat(32)));
  fs.writeFileSync(script, before.replace(/^SHA256_ORIG=.*$/m, ''));
  assert.throws(() => buildSbom({ root, env: {} }), /SHA256_ORIG/);
  fs.writeFileSync(script, before);
  // The same for pqclean's tarball pin and its PQClean commit.
  const pqScript = path.join(root, PQCLEAN_FETCH_SCRIPT);
  const pqBefore = fs.readFileSync(pqScript, 'utf8');
  const pqAfter = pqBefore
    .replace(/^SHA256_TARBALL=[0-9a-f]{64}$/m, `SHA256_TARBALL=${'cd'.repeat(32)}`)
    .replace(/^PQCLEAN_COMMIT=[0-9a-f]{40}$/m, `PQCLEAN_COMMIT=${'e'.repeat(40)}`);
  assert.notEqual(pqAfter, pqBefore);
  fs.writeFileSync(pqScript, pqAfter);
  const pqMoved = pqcleanOf(buildSbom({ root, env: { SOURCE_DATE_EPOCH: '0' } }));
  assert.equal(pqMoved.hashes[0].content, 'cd'.repeat(32));
  assert.equal(pqMoved.pedigree.ancestors[0].version, 'e'.repeat(40));
  fs.writeFileSync(pqScript, pqBefore.replace(/^SHA256_TARBALL=.*$/m, ''));
  assert.throws(() => buildSbom({ root, env: {} }), /SHA256_TARBALL/);
});

test('the package build writes the SBOM and the notices into dist/ and ships them', () => {
  assert.match(pkg.scripts.build, /scripts\/sbom\.mjs --out dist\/sbom\.cdx\.json/);
  assert.ok(
    pkg.files.includes('dist/sbom.cdx.json'),
    'package.json "files" lacks dist/sbom.cdx.json',
  );
  // The MIT, ISC and BSD notices of what dist/ contains must travel with it.
  for (const f of ['LICENSE', 'NOTICE', 'THIRD_PARTY_NOTICES.md']) {
    assert.ok(pkg.files.includes(`dist/${f}`), `package.json "files" lacks dist/${f}`);
    assert.equal(
      fs.readFileSync(path.join(pkgDir, 'dist', f), 'utf8'),
      fs.readFileSync(path.join(repoRoot, f), 'utf8'),
      `dist/${f} is not the repository's ${f}: rebuild the package`,
    );
  }
  const built = fs.readFileSync(path.join(pkgDir, 'dist', 'sbom.cdx.json'), 'utf8');
  assert.equal(
    built,
    text,
    'dist/sbom.cdx.json is not what the generator writes now: rebuild the package',
  );
});

// --- each check fails on a document that breaks it --------------------------------

const broken = (change) => {
  const doc = JSON.parse(serialize(bom));
  change(doc);
  return doc;
};

test('the checks reject broken documents', async () => {
  assert.throws(
    () => checkRefs(broken((d) => (d.components[1]['bom-ref'] = d.components[0]['bom-ref']))),
    /unique/,
  );
  assert.throws(
    () => checkRefs(broken((d) => d.dependencies[0].dependsOn.push('pkg:npm/nothing@1'))),
    /unknown/,
  );
  assert.throws(
    () => checkLicences(broken((d) => delete d.components[2].components[0].licenses)),
    /no licence/,
  );
  assert.throws(
    () =>
      checkLibsodium(
        broken((d) => (libsodiumOf(d).externalReferences[1].hashes[0].content = '0'.repeat(64))),
      ),
    /pins/,
  );
  assert.throws(
    () => checkPqclean(broken((d) => (pqcleanOf(d).hashes[0].content = '0'.repeat(64)))),
    /Expected values to be strictly deep-equal/,
  );
  assert.throws(
    () =>
      checkPqclean(broken((d) => (pqcleanOf(d).pedigree.ancestors[0].version = '0'.repeat(40)))),
    /Expected values to be strictly equal/,
  );
  assert.throws(() => checkPqclean(broken((d) => (pqcleanOf(d).scope = 'excluded'))), /it ships/);
  assert.throws(
    () =>
      checkPackageFiles(
        broken((d) => (d.metadata.component.components[0].hashes[0].content = '0'.repeat(64))),
      ),
    /SHA-256/,
  );
  assert.notEqual(
    await schemaErrors(
      broken((d) => (d.components[0].licenses = [{ license: { id: 'Not-A-Licence' } }])),
    ),
    null,
  );
  assert.notEqual(await schemaErrors(broken((d) => (d.components[0].scope = 'shipped'))), null);
  assert.notEqual(await schemaErrors(broken((d) => delete d.bomFormat)), null);
});
