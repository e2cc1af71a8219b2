// SPDX-License-Identifier: Apache-2.0
// Writes the software bill of materials of the npm package `medseal` as
// CycloneDX 1.5 JSON: the package and its two built files (with hashes),
// what the WebAssembly module and the JavaScript bundle contain (libsodium,
// PQClean's ML-KEM-768 / ML-DSA-44 / FIPS 202 C code from the npm package
// pqclean, nlohmann/json, Emscripten's runtime and the C/C++ runtime libraries it
// links), the toolchain that built them, and the npm packages of the
// package's lock file (build tools, scope "excluded": none of them ships).
//
//   node scripts/sbom.mjs [--out FILE]        (default: standard output)
//
// Why CycloneDX and not SPDX: its `scope` says directly what ships
// ("required") and what only builds ("excluded"), `pedigree` records the
// Debian security patch applied to libsodium, and the official JSON schema is
// available offline (npm @cyclonedx/cyclonedx-library), so
// scripts/test/sbom.test.mjs validates every document against it.
//
// Deterministic: the same tree, lock file, build output and Debian packages
// give the same bytes. No serial number (CycloneDX makes it optional; a
// random one would differ on every build) and no wall-clock time: the
// timestamp is SOURCE_DATE_EPOCH if set, else the commit date of HEAD, else
// absent. No machine path is written.
//
// Sources of every fact (nothing here is typed in twice):
//   - package name, version, licence, dependencies: wasm/package/package.json;
//   - npm packages, versions, licences, SHA-512: wasm/package/package-lock.json;
//   - libsodium's Debian version and the SHA-256 of its three source files:
//     the pins in LIBSODIUM_FETCH_SCRIPT (the script that checks them);
//   - pqclean's npm version, the PQClean commit it ships and the SHA-256 of
//     its tarball: the pins in PQCLEAN_FETCH_SCRIPT (the script that checks
//     them, and every extracted file's SHA-256);
//   - nlohmann/json, Emscripten, clang, lld, binaryen: dpkg-query;
//   - musl, libc++, libc++abi, compiler-rt, dlmalloc versions: the files
//     Emscripten ships under /usr/share/emscripten/system/lib;
//   - licences of the C/C++ pieces: their Debian copyright files
//     (/usr/share/doc/<package>/copyright), summarised in
//     THIRD_PARTY_NOTICES.md.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_DIR = 'wasm/package';
// The script that downloads libsodium's source and enforces its pins. If it
// moves, change this line (scripts/test/sbom.test.mjs reads it from here).
export const LIBSODIUM_FETCH_SCRIPT = 'third_party/libsodium/fetch.sh';
// The same for PQClean's sources (the npm tarball pqclean@<version>).
export const PQCLEAN_FETCH_SCRIPT = 'third_party/pqclean/fetch.sh';
// The built files the package ships, hashed into the SBOM.
export const DIST_FILES = [
  'dist/index.js',
  'dist/medseal_core.wasm',
  'dist/testing.js',
  'dist/medseal_core_testing.wasm',
];
const EMSCRIPTEN_ROOT = '/usr/share/emscripten';

const readText = (file) => fs.readFileSync(file, 'utf8');

// --- libsodium pins ---------------------------------------------------------

// The pinned version, the SHA-256 of the .dsc, .orig.tar.gz and
// .debian.tar.xz, and the patches that must be applied, as assigned in the
// fetch script (plain `NAME=value` lines).
export function parseLibsodiumPins(scriptText) {
  const value = (name, pattern) => {
    const m = scriptText.match(new RegExp(`^${name}=(${pattern})$`, 'm'));
    if (!m) throw new Error(`sbom: ${LIBSODIUM_FETCH_SCRIPT} has no ${name}= line`);
    return m[1];
  };
  const debVersion = value('SODIUM_DEB_VERSION', '[0-9A-Za-z.+~:-]+');
  const upstreamVersion = value('SODIUM_UPSTREAM_VERSION', '[0-9A-Za-z.+~-]+');
  const patches = value('REQUIRED_PATCHES', '\\([^)]*\\)').slice(1, -1).trim().split(/\s+/);
  const files = {
    dsc: { name: `libsodium_${debVersion}.dsc`, sha256: value('SHA256_DSC', '[0-9a-f]{64}') },
    orig: {
      name: `libsodium_${upstreamVersion}.orig.tar.gz`,
      sha256: value('SHA256_ORIG', '[0-9a-f]{64}'),
    },
    debian: {
      name: `libsodium_${debVersion}.debian.tar.xz`,
      sha256: value('SHA256_DEBIAN', '[0-9a-f]{64}'),
    },
  };
  return { debVersion, upstreamVersion, patches, files };
}

// --- pqclean pins ---------------------------------------------------------------

// The pinned npm version, the PQClean commit the tarball ships, the
// tarball's SHA-256 and the number of files whose SHA-256 is pinned, as
// assigned in the fetch script.
export function parsePqcleanPins(scriptText) {
  const value = (name, pattern) => {
    const m = scriptText.match(new RegExp(`^${name}=(${pattern})$`, 'm'));
    if (!m) throw new Error(`sbom: ${PQCLEAN_FETCH_SCRIPT} has no ${name}= line`);
    return m[1];
  };
  const files = scriptText.match(/^FILES='([^']*)'$/m);
  if (!files) throw new Error(`sbom: ${PQCLEAN_FETCH_SCRIPT} has no FILES='...' list`);
  return {
    version: value('PQCLEAN_NPM_VERSION', '[0-9]+\\.[0-9]+\\.[0-9]+'),
    commit: value('PQCLEAN_COMMIT', '[0-9a-f]{40}'),
    tarballSha256: value('SHA256_TARBALL', '[0-9a-f]{64}'),
    fileCount: files[1].split('\n').filter((l) => /^[0-9a-f]{64} {2}\S/.test(l)).length,
  };
}

// --- Debian packages ----------------------------------------------------------

// { version, source, sourceVersion, arch } of an installed Debian package.
export function dpkgPackage(name) {
  let out;
  try {
    out = execFileSync(
      'dpkg-query',
      ['-W', '-f=${Version}\\t${source:Package}\\t${source:Version}\\t${Architecture}', name],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (e) {
    throw new Error(
      `sbom: dpkg-query -W ${name} failed (is the package installed? scripts/setup.sh installs it): ${e.message}`,
    );
  }
  const [version, source, sourceVersion, arch] = out.trim().split('\t');
  if (!version) throw new Error(`sbom: Debian package ${name} is not installed`);
  return { version, source, sourceVersion, arch };
}

// purl of a Debian binary package (the purl spec percent-encodes '+' and ':').
export function debPurl(name, version, arch) {
  return `pkg:deb/debian/${name}@${encodeURIComponent(version)}?arch=${arch}`;
}

// --- Emscripten's bundled runtime libraries -------------------------------------

function firstMatch(file, regex, what) {
  const m = readText(file).match(regex);
  if (!m) throw new Error(`sbom: cannot read the ${what} version from ${file}`);
  return m[1];
}

// Versions of what Emscripten links into the .wasm, read from the files it
// ships. Which libraries are linked was measured with `-Wl,--trace` on the
// package's link line: libc (musl + Emscripten's own libc files), dlmalloc
// (-sMALLOC=dlmalloc), compiler_rt, c++-noexcept, c++abi-noexcept, embind.
function emscriptenRuntimeVersions(root = EMSCRIPTEN_ROOT) {
  const lib = path.join(root, 'system', 'lib');
  const llvm = (dir) =>
    firstMatch(path.join(lib, dir, 'readme.txt'), /based on release (\d+\.\d+\.\d+)/, dir);
  return {
    musl: readText(path.join(lib, 'libc', 'musl', 'VERSION')).trim(),
    libcxx: llvm('libcxx'),
    libcxxabi: llvm('libcxxabi'),
    compilerRt: llvm('compiler-rt'),
    dlmalloc: firstMatch(path.join(lib, 'dlmalloc.c'), /Version (\d+\.\d+\.\d+)/, 'dlmalloc'),
  };
}

// --- helpers ----------------------------------------------------------------------

const license = (expressionOrId) =>
  /\s(OR|AND|WITH)\s|[()]/.test(expressionOrId)
    ? [{ expression: expressionOrId }]
    : [{ license: { id: expressionOrId } }];

function fileHashes(file) {
  const bytes = fs.readFileSync(file);
  return ['sha256', 'sha512'].map((alg) => ({
    alg: alg === 'sha256' ? 'SHA-256' : 'SHA-512',
    content: crypto.createHash(alg).update(bytes).digest('hex'),
  }));
}

// npm's "integrity" (sha512-<base64>) as a CycloneDX hash.
function integrityHashes(integrity) {
  if (!integrity) return undefined;
  const m = /^sha512-([A-Za-z0-9+/=]+)$/.exec(integrity);
  if (!m) throw new Error(`sbom: unsupported integrity ${integrity}`);
  return [{ alg: 'SHA-512', content: Buffer.from(m[1], 'base64').toString('hex') }];
}

function npmPurl(name, version) {
  // pkg:npm/%40scope/name@version: the '@' of a scope is percent-encoded.
  return `pkg:npm/${name.startsWith('@') ? '%40' + name.slice(1) : name}@${version}`;
}

function timestamp(root, env) {
  let seconds;
  if (env.SOURCE_DATE_EPOCH !== undefined && env.SOURCE_DATE_EPOCH !== '') {
    if (!/^\d+$/.test(env.SOURCE_DATE_EPOCH)) {
      throw new Error(
        `sbom: SOURCE_DATE_EPOCH=${env.SOURCE_DATE_EPOCH} is not a number of seconds`,
      );
    }
    seconds = Number(env.SOURCE_DATE_EPOCH);
  } else {
    try {
      const out = execFileSync('git', ['-C', root, 'log', '-1', '--format=%ct'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      if (/^\d+$/.test(out)) seconds = Number(out);
    } catch {
      // Not a git checkout (e.g. a source tarball): no timestamp.
    }
  }
  return seconds === undefined
    ? undefined
    : new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

// --- the document -------------------------------------------------------------------

export function buildSbom({
  root = repoRoot,
  env = process.env,
  emscriptenRoot = EMSCRIPTEN_ROOT,
} = {}) {
  const pkgDir = path.join(root, PACKAGE_DIR);
  const pkg = JSON.parse(readText(path.join(pkgDir, 'package.json')));
  const lock = JSON.parse(readText(path.join(pkgDir, 'package-lock.json')));
  const pins = parseLibsodiumPins(readText(path.join(root, LIBSODIUM_FETCH_SCRIPT)));
  const pq = parsePqcleanPins(readText(path.join(root, PQCLEAN_FETCH_SCRIPT)));
  const runtime = emscriptenRuntimeVersions(emscriptenRoot);
  const emscripten = dpkgPackage('emscripten');
  const json = dpkgPackage('nlohmann-json3-dev');
  const clang = dpkgPackage('clang-14');
  const lld = dpkgPackage('lld-14');
  const binaryen = dpkgPackage('binaryen');

  const medsealRef = npmPurl(pkg.name, pkg.version);
  const files = DIST_FILES.filter((f) => fs.existsSync(path.join(pkgDir, f))).map((f) => ({
    type: 'file',
    'bom-ref': `${medsealRef}#${f}`,
    name: f,
    hashes: fileHashes(path.join(pkgDir, f)),
  }));

  const libsodiumRef = `pkg:deb/debian/libsodium@${encodeURIComponent(pins.debVersion)}?arch=source`;
  const libsodium = {
    type: 'library',
    'bom-ref': libsodiumRef,
    name: 'libsodium',
    version: pins.debVersion,
    description:
      "Debian's libsodium source package, patches applied, compiled from source into medseal_core.wasm (the ChaCha20 of its stream cipher replaced by medseal's WebAssembly SIMD implementation)",
    scope: 'required',
    licenses: license('ISC'),
    purl: libsodiumRef,
    externalReferences: [
      ...Object.values(pins.files).map((f) => ({
        type: 'distribution', // CycloneDX 1.5 has no "source-distribution" (1.6 added it)
        url: f.name,
        comment: `file of \`apt-get source libsodium=${pins.debVersion}\`, SHA-256 pinned in ${LIBSODIUM_FETCH_SCRIPT}`,
        hashes: [{ alg: 'SHA-256', content: f.sha256 }],
      })),
      { type: 'vcs', url: 'https://github.com/jedisct1/libsodium' },
    ],
    pedigree: {
      ancestors: [
        {
          type: 'library',
          'bom-ref': `pkg:github/jedisct1/libsodium@${pins.upstreamVersion}`,
          name: 'libsodium',
          version: pins.upstreamVersion,
          licenses: license('ISC'),
          purl: `pkg:github/jedisct1/libsodium@${pins.upstreamVersion}`,
        },
      ],
      patches: pins.patches.map((p) => ({
        type: 'backport',
        diff: { url: `debian/patches/${p}` },
        ...(/^CVE-\d{4}-\d+/.test(p)
          ? { resolves: [{ type: 'security', id: p.match(/^CVE-\d{4}-\d+/)[0] }] }
          : {}),
      })),
    },
  };

  // PQClean's code is CC0-1.0 (each scheme's LICENSE), common/fips202.c
  // public domain; the npm package's own MIT licence covers its Node.js
  // binding, which medseal does not use.
  const pqcleanRef = npmPurl('pqclean', pq.version);
  const pqcleanUpstreamRef = `pkg:github/PQClean/PQClean@${pq.commit}`;
  const pqclean = {
    type: 'library',
    'bom-ref': pqcleanRef,
    name: 'pqclean',
    version: pq.version,
    description: `PQClean's ML-KEM-768 and ML-DSA-44 "clean" C code and common/fips202 (PQClean commit ${pq.commit.slice(0, 8)}), taken from the npm package pqclean@${pq.version} (tarball and ${pq.fileCount} files SHA-256 pinned in ${PQCLEAN_FETCH_SCRIPT}) and compiled from source into medseal_core.wasm; not the package's Node.js binding`,
    scope: 'required',
    hashes: [{ alg: 'SHA-256', content: pq.tarballSha256 }],
    licenses: license('CC0-1.0'),
    purl: pqcleanRef,
    externalReferences: [
      {
        type: 'distribution',
        url: `https://registry.npmjs.org/pqclean/-/pqclean-${pq.version}.tgz`,
        comment: `the tarball of \`npm pack pqclean@${pq.version}\`, SHA-256 pinned in ${PQCLEAN_FETCH_SCRIPT}`,
        hashes: [{ alg: 'SHA-256', content: pq.tarballSha256 }],
      },
      { type: 'vcs', url: 'https://github.com/PQClean/PQClean' },
    ],
    pedigree: {
      ancestors: [
        {
          type: 'library',
          'bom-ref': pqcleanUpstreamRef,
          name: 'PQClean',
          version: pq.commit,
          licenses: license('CC0-1.0'),
          purl: pqcleanUpstreamRef,
        },
      ],
    },
  };

  const jsonRef = debPurl('nlohmann-json3-dev', json.version, json.arch);
  const nlohmann = {
    type: 'library',
    'bom-ref': jsonRef,
    name: 'nlohmann-json3-dev',
    version: json.version,
    description: 'nlohmann/json (header-only), compiled into medseal_core.wasm',
    scope: 'required',
    licenses: license('MIT'),
    purl: jsonRef,
    externalReferences: [{ type: 'vcs', url: 'https://github.com/nlohmann/json' }],
  };

  const emscriptenRef = debPurl('emscripten', emscripten.version, emscripten.arch);
  const llvmPurl = (version, sub) => `pkg:github/llvm/llvm-project@llvmorg-${version}#${sub}`;
  const runtimeComponents = [
    {
      type: 'library',
      'bom-ref': `${emscriptenRef}#musl`,
      name: 'musl',
      version: runtime.musl,
      description: "the C library in Emscripten's libc.a, linked into medseal_core.wasm",
      scope: 'required',
      licenses: license('MIT'),
      purl: `pkg:generic/musl@${runtime.musl}`,
    },
    {
      type: 'library',
      'bom-ref': `${emscriptenRef}#libcxx`,
      name: 'libc++',
      version: runtime.libcxx,
      description:
        "LLVM's C++ standard library (Emscripten's fork, no-exceptions build), linked into medseal_core.wasm",
      scope: 'required',
      licenses: license('Apache-2.0 WITH LLVM-exception'),
      purl: llvmPurl(runtime.libcxx, 'libcxx'),
    },
    {
      type: 'library',
      'bom-ref': `${emscriptenRef}#libcxxabi`,
      name: 'libc++abi',
      version: runtime.libcxxabi,
      description:
        "LLVM's C++ ABI library (Emscripten's fork, no-exceptions build), linked into medseal_core.wasm",
      scope: 'required',
      licenses: license('Apache-2.0 WITH LLVM-exception'),
      purl: llvmPurl(runtime.libcxxabi, 'libcxxabi'),
    },
    {
      type: 'library',
      'bom-ref': `${emscriptenRef}#compiler-rt`,
      name: 'compiler-rt',
      version: runtime.compilerRt,
      description:
        "LLVM's compiler runtime builtins (128-bit arithmetic), linked into medseal_core.wasm",
      scope: 'required',
      licenses: license('Apache-2.0 WITH LLVM-exception'),
      purl: llvmPurl(runtime.compilerRt, 'compiler-rt'),
    },
    {
      type: 'library',
      'bom-ref': `${emscriptenRef}#dlmalloc`,
      name: 'dlmalloc',
      version: runtime.dlmalloc,
      description: "Doug Lea's malloc (-sMALLOC=dlmalloc), linked into medseal_core.wasm",
      scope: 'required',
      licenses: license('CC0-1.0'),
      purl: `pkg:generic/dlmalloc@${runtime.dlmalloc}`,
    },
  ];
  const emscriptenComponent = {
    type: 'framework',
    'bom-ref': emscriptenRef,
    name: 'emscripten',
    version: emscripten.version,
    description:
      "Emscripten's JavaScript runtime (the glue embedded in dist/index.js), Embind and its libc additions, linked into medseal_core.wasm; also the compiler driver that built it",
    scope: 'required',
    licenses: license('MIT OR NCSA'),
    purl: emscriptenRef,
    externalReferences: [{ type: 'vcs', url: 'https://github.com/emscripten-core/emscripten' }],
    components: runtimeComponents,
  };

  const tool = (name, p, licenseId, description) => {
    const ref = debPurl(name, p.version, p.arch);
    return {
      type: 'application',
      'bom-ref': ref,
      name,
      version: p.version,
      description,
      scope: 'excluded',
      licenses: license(licenseId),
      purl: ref,
    };
  };
  const toolchain = [
    tool(
      'clang-14',
      clang,
      'Apache-2.0 WITH LLVM-exception',
      'the compiler behind emcc (build only)',
    ),
    tool(
      'lld-14',
      lld,
      'Apache-2.0 WITH LLVM-exception',
      'the WebAssembly linker behind emcc (build only)',
    ),
    tool('binaryen', binaryen, 'Apache-2.0', 'wasm-opt, run by emcc at -O3 (build only)'),
  ];

  // npm: every package of the lock file. The package has no runtime
  // dependencies today; any it gains (package.json "dependencies") would be
  // "required", everything else is build or test tooling ("excluded").
  const runtimeDeps = new Set(Object.keys(pkg.dependencies ?? {}));
  const npm = Object.entries(lock.packages ?? {})
    .filter(([key, entry]) => key !== '' && !entry.link)
    .map(([key, entry]) => {
      const name =
        entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const ref = npmPurl(name, entry.version);
      const component = {
        type: 'library',
        'bom-ref': ref,
        name,
        version: entry.version,
        scope: runtimeDeps.has(name) && !entry.dev ? 'required' : 'excluded',
        hashes: integrityHashes(entry.integrity),
        licenses: entry.license ? license(entry.license) : undefined,
        purl: ref,
        properties: [
          ...(entry.dev ? [{ name: 'cdx:npm:package:development', value: 'true' }] : []),
          ...(entry.optional ? [{ name: 'medseal:npm:optional', value: 'true' }] : []),
        ],
      };
      if (component.properties.length === 0) delete component.properties;
      return { key, component };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ component }) => JSON.parse(JSON.stringify(component)));

  const medseal = {
    type: 'library',
    'bom-ref': medsealRef,
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    licenses: pkg.license ? license(pkg.license) : undefined,
    purl: medsealRef,
    components: files.length ? files : undefined,
  };

  // What the built files contain, and what built them.
  const npmRefs = npm.map((c) => c['bom-ref']);
  const childrenOf = (name) =>
    Object.keys(lock.packages?.[`node_modules/${name}`]?.optionalDependencies ?? {})
      .concat(Object.keys(lock.packages?.[`node_modules/${name}`]?.dependencies ?? {}))
      .map((dep) => {
        const entry = lock.packages[`node_modules/${dep}`];
        return entry ? npmPurl(dep, entry.version) : undefined;
      })
      .filter((ref) => ref !== undefined)
      .sort();
  const directNpm = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
    .map(
      (name) =>
        lock.packages?.[`node_modules/${name}`] &&
        npmPurl(name, lock.packages[`node_modules/${name}`].version),
    )
    .filter(Boolean)
    .sort();
  const dependencies = [
    {
      ref: medsealRef,
      dependsOn: [
        libsodiumRef,
        pqcleanRef,
        jsonRef,
        emscriptenRef,
        ...toolchain.map((t) => t['bom-ref']),
        ...directNpm,
      ],
    },
    { ref: libsodiumRef, dependsOn: [] },
    { ref: pqcleanRef, dependsOn: [] },
    { ref: jsonRef, dependsOn: [] },
    { ref: emscriptenRef, dependsOn: runtimeComponents.map((c) => c['bom-ref']) },
    ...runtimeComponents.map((c) => ({ ref: c['bom-ref'], dependsOn: [] })),
    ...toolchain.map((t) => ({ ref: t['bom-ref'], dependsOn: [] })),
    ...npm.map((c) => ({
      ref: c['bom-ref'],
      dependsOn: childrenOf(c.name).filter((ref) => npmRefs.includes(ref)),
    })),
  ];

  const ts = timestamp(root, env);
  const bom = {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    metadata: {
      ...(ts ? { timestamp: ts } : {}),
      lifecycles: [{ phase: 'build' }],
      tools: {
        components: [
          {
            type: 'application',
            name: 'medseal scripts/sbom.mjs',
            version: pkg.version,
            description: 'the SBOM generator of the medseal repository',
          },
        ],
      },
      component: medseal,
    },
    components: [libsodium, nlohmann, emscriptenComponent, pqclean, ...toolchain, ...npm],
    dependencies,
  };
  return JSON.parse(JSON.stringify(bom)); // drops the undefined members
}

export function serialize(bom) {
  return JSON.stringify(bom, null, 2) + '\n';
}

function main(argv) {
  let out;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && i + 1 < argv.length) out = argv[++i];
    else {
      console.error('usage: node scripts/sbom.mjs [--out FILE]');
      process.exit(2);
    }
  }
  const text = serialize(buildSbom());
  if (out === undefined) {
    process.stdout.write(text);
  } else {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, text);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
