// Tests of web-demo/server.mjs alone (no browser, no package build needed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, CSP } from '../server.mjs';

let srv;
let tmp;

// Raw request: keeps the path exactly as written (no URL normalisation).
function request(method, rawPath, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: srv.port, method, path: rawPath, headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function assertSecurityHeaders(res) {
  assert.equal(res.headers['content-security-policy'], CSP);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['referrer-policy'], 'no-referrer');
  assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
}

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'medseal-server-test-'));
  const pub = path.join(tmp, 'public');
  const pkg = path.join(tmp, 'dist');
  mkdirSync(path.join(pub, 'sub'), { recursive: true });
  mkdirSync(pkg);
  writeFileSync(path.join(pub, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(pub, 'app.js'), 'export {};');
  writeFileSync(path.join(pub, 'style.css'), 'body{}');
  writeFileSync(path.join(pub, 'sub', 'index.html'), 'sub');
  writeFileSync(path.join(tmp, 'secret.txt'), 'SECRET');
  symlinkSync(path.join(tmp, 'secret.txt'), path.join(pub, 'escape.txt'));
  writeFileSync(path.join(pkg, 'index.js'), 'export const x = 1;');
  writeFileSync(path.join(pkg, 'glue.mjs'), 'export default 1;');
  writeFileSync(path.join(pkg, 'core.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(pkg, 'index.d.ts'), 'export {};');
  srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    publicDir: pub,
    packageDir: pkg,
    routes: { '/__extra__.js': { body: 'export {};' } },
  });
});

after(async () => {
  await srv?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('listens on 127.0.0.1 and reports its URL', () => {
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(srv.server.address().address, '127.0.0.1');
});

test('CSP: strict, no unsafe-eval / unsafe-inline, wasm allowed, reports on', () => {
  assert.ok(!CSP.includes("'unsafe-eval'"));
  assert.ok(!CSP.includes("'unsafe-inline'"));
  assert.match(CSP, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(CSP, /report-uri \/csp-report/);
  for (const d of ["default-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "worker-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
    assert.ok(CSP.includes(d), d);
  }
});

test('serves public files and the package with the right MIME types and headers', async () => {
  const cases = [
    ['/', 'text/html; charset=utf-8', '<!doctype html><title>t</title>'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/sub/', 'text/html; charset=utf-8', 'sub'],
    ['/medseal/index.js', 'text/javascript; charset=utf-8', 'export const x = 1;'],
    ['/medseal/glue.mjs', 'text/javascript; charset=utf-8'],
    ['/medseal/core.wasm', 'application/wasm'],
    ['/medseal/index.d.ts', 'text/plain; charset=utf-8'],
    ['/__extra__.js', 'text/javascript; charset=utf-8', 'export {};'],
  ];
  for (const [p, type, body] of cases) {
    const res = await request('GET', p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['content-type'], type, p);
    assertSecurityHeaders(res);
    if (body !== undefined) assert.equal(res.body.toString(), body, p);
  }
  const head = await request('HEAD', '/medseal/core.wasm');
  assert.equal(head.status, 200);
  assert.equal(head.headers['content-length'], '8');
  assert.equal(head.body.length, 0);
});

test('404 and 405 responses carry the security headers too', async () => {
  const nf = await request('GET', '/nope.js');
  assert.equal(nf.status, 404);
  assertSecurityHeaders(nf);
  const na = await request('PUT', '/index.html', { body: 'x' });
  assert.equal(na.status, 405);
  assertSecurityHeaders(na);
  const bad = await request('GET', '/%E0%A4%A');
  assert.equal(bad.status, 404);
});

test('path traversal is refused', async () => {
  for (const p of [
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/sub/../../secret.txt',
    '/sub/%2e%2e/%2e%2e/secret.txt',
    '/medseal/../secret.txt',
    '/medseal/..%2f..%2fpublic%2findex.html',
    '/medseal/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/index.html%00.js',
    '/escape.txt', // symlink pointing outside the root
    '//etc/passwd',
    '/medseal//etc/passwd',
  ]) {
    const res = await request('GET', p);
    assert.equal(res.status, 404, p);
    assert.ok(!res.body.toString().includes('SECRET'), p);
    assertSecurityHeaders(res);
  }
});

test('CSP reports: POST stores, GET lists, DELETE clears; bad input refused', async () => {
  const report = { 'csp-report': { 'document-uri': 'http://127.0.0.1/x', 'blocked-uri': 'eval' } };
  const post = await request('POST', '/csp-report', {
    body: JSON.stringify(report),
    headers: { 'content-type': 'application/csp-report' },
  });
  assert.equal(post.status, 204);
  assertSecurityHeaders(post);
  let list = await request('GET', '/csp-reports');
  assert.equal(list.status, 200);
  assert.equal(list.headers['content-type'], 'application/json; charset=utf-8');
  const got = JSON.parse(list.body.toString());
  assert.equal(got.length, 1);
  assert.deepEqual(got[0].report, report);
  assert.equal(got[0].contentType, 'application/csp-report');

  assert.equal((await request('POST', '/csp-report', { body: 'not json' })).status, 400);
  assert.equal((await request('POST', '/csp-report', { body: 'x'.repeat(70 * 1024) })).status, 413);
  assert.equal(JSON.parse((await request('GET', '/csp-reports')).body.toString()).length, 1);
  assert.equal((await request('GET', '/csp-report')).status, 405);

  assert.equal((await request('DELETE', '/csp-reports')).status, 204);
  list = await request('GET', '/csp-reports');
  assert.deepEqual(JSON.parse(list.body.toString()), []);
});
