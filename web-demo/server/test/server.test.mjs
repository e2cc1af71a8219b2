// SPDX-License-Identifier: Apache-2.0
// Tests of web-demo/server/server.mjs alone (no browser, no build needed):
// a temporary app folder stands in for web-demo/dist.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, createHandler, describeReport, CSP, MAX_REPORTS } from '../server.mjs';

let srv;
let tmp;
const seen = []; // what onCspReport was given

// Raw request: keeps the path exactly as written (no URL normalisation).
function request(method, rawPath, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: srv.port, method, path: rawPath, headers, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
        );
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

const REPORT = { 'csp-report': { 'document-uri': 'http://127.0.0.1/x', 'blocked-uri': 'eval' } };
const postReport = (report = REPORT) =>
  request('POST', '/csp-report', {
    body: JSON.stringify(report),
    headers: { 'content-type': 'application/csp-report' },
  });

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'medseal-server-test-'));
  const app = path.join(tmp, 'app');
  mkdirSync(path.join(app, 'sub'), { recursive: true });
  writeFileSync(path.join(app, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(app, 'app.js'), 'export {};');
  writeFileSync(path.join(app, 'glue.mjs'), 'export default 1;');
  writeFileSync(path.join(app, 'style.css'), 'body{}');
  writeFileSync(path.join(app, 'data.json'), '{}');
  writeFileSync(path.join(app, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(app, 'core.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(app, 'sub', 'index.html'), 'sub');
  writeFileSync(path.join(tmp, 'secret.txt'), 'SECRET');
  symlinkSync(path.join(tmp, 'secret.txt'), path.join(app, 'escape.txt'));
  srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    appDir: app,
    onCspReport: (e) => seen.push(e),
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
  for (const d of [
    "default-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ]) {
    assert.ok(CSP.includes(d), d);
  }
});

test('serves the app folder with the right MIME types and headers', async () => {
  const cases = [
    ['/', 'text/html; charset=utf-8', '<!doctype html><title>t</title>'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8', 'export {};'],
    ['/glue.mjs', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/data.json', 'application/json; charset=utf-8'],
    ['/icon.svg', 'image/svg+xml'],
    ['/core.wasm', 'application/wasm'],
    ['/sub/', 'text/html; charset=utf-8', 'sub'],
  ];
  for (const [p, type, body] of cases) {
    const res = await request('GET', p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers['content-type'], type, p);
    assertSecurityHeaders(res);
    if (body !== undefined) assert.equal(res.body.toString(), body, p);
  }
  const head = await request('HEAD', '/core.wasm');
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
  assert.equal(na.headers.allow, 'GET, HEAD');
  assertSecurityHeaders(na);
  const bad = await request('GET', '/%E0%A4%A');
  assert.equal(bad.status, 404);
  assertSecurityHeaders(bad);
});

test('path traversal is refused', async () => {
  for (const p of [
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/sub/../../secret.txt',
    '/sub/%2e%2e/%2e%2e/secret.txt',
    '/sub/..%2f..%2fsecret.txt',
    '/sub/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/sub%5c..%5c..%5csecret.txt',
    '/index.html%00.js',
    '/escape.txt', // symlink pointing outside the root
    '//etc/passwd',
    '/sub//index.html',
  ]) {
    const res = await request('GET', p);
    assert.equal(res.status, 404, p);
    assert.ok(!res.body.toString().includes('SECRET'), p);
    assertSecurityHeaders(res);
  }
});

test('CSP reports: POST stores them in the list startServer returns; bad input refused', async () => {
  srv.cspReports.length = 0;
  seen.length = 0;
  const post = await postReport();
  assert.equal(post.status, 204);
  assertSecurityHeaders(post);
  assert.equal(srv.cspReports.length, 1);
  assert.deepEqual(srv.cspReports[0].report, REPORT);
  assert.equal(srv.cspReports[0].contentType, 'application/csp-report');
  assert.equal(typeof srv.cspReports[0].received, 'number');
  assert.deepEqual(seen, srv.cspReports, 'onCspReport saw the same entries');

  assert.equal((await request('POST', '/csp-report', { body: 'not json' })).status, 400);
  const big = await request('POST', '/csp-report', {
    body: JSON.stringify({ x: 'x'.repeat(70 * 1024) }),
  });
  assert.equal(big.status, 413);
  assertSecurityHeaders(big);
  assert.equal(srv.cspReports.length, 1, 'refused reports are not stored');
  const get = await request('GET', '/csp-report');
  assert.equal(get.status, 405);
  assert.equal(get.headers.allow, 'POST');

  // The owner resets the list by emptying it.
  srv.cspReports.length = 0;
  assert.equal((await postReport()).status, 204);
  assert.equal(srv.cspReports.length, 1);
});

test(`CSP reports: at most ${MAX_REPORTS} are kept; later ones are accepted and dropped`, async () => {
  srv.cspReports.length = 0;
  seen.length = 0;
  for (let i = 0; i < MAX_REPORTS + 5; i++) {
    assert.equal((await postReport({ 'csp-report': { n: i } })).status, 204);
  }
  assert.equal(srv.cspReports.length, MAX_REPORTS);
  assert.equal(seen.length, MAX_REPORTS);
  assert.equal(srv.cspReports.at(-1).report['csp-report'].n, MAX_REPORTS - 1);
  srv.cspReports.length = 0;
});

test('no test routes: DELETE /csp-reports is refused, reports are not listed, old URLs are gone', async () => {
  assert.equal((await postReport()).status, 204);
  const before = srv.cspReports.length;
  assert.ok(before >= 1);
  const del = await request('DELETE', '/csp-reports');
  assert.equal(del.status, 405);
  assertSecurityHeaders(del);
  assert.equal(srv.cspReports.length, before, 'DELETE cleared nothing');
  for (const method of ['DELETE', 'POST', 'PUT', 'PATCH', 'OPTIONS']) {
    for (const p of ['/', '/index.html', '/csp-reports', '/__test__/eval.html']) {
      assert.equal((await request(method, p)).status, 405, `${method} ${p}`);
    }
  }
  for (const p of [
    '/csp-reports',
    '/__test__/eval.html',
    '/__test__/harness/',
    '/medseal/index.js',
    '/medseal/',
  ]) {
    assert.equal((await request('GET', p)).status, 404, p);
  }
  srv.cspReports.length = 0;
});

test('no injectable routes: unknown options are refused', async () => {
  const routes = { '/x.js': { body: 'export {};' } };
  await assert.rejects(startServer({ port: 0, routes }), {
    name: 'TypeError',
    message: /unknown option "routes"/,
  });
  assert.throws(() => createHandler({ routes }), {
    name: 'TypeError',
    message: /unknown option "routes"/,
  });
  assert.throws(() => createHandler({ packageDir: tmp }), {
    name: 'TypeError',
    message: /unknown option "packageDir"/,
  });
  assert.throws(() => createHandler(null), { name: 'TypeError' });
});

test('describeReport prints one line with every field quoted and cut short', () => {
  const line = describeReport({
    report: {
      'csp-report': {
        'effective-directive': 'script-src',
        'blocked-uri': 'eval\u001b[2J\nnext',
        'document-uri': 'x'.repeat(500),
        'line-number': 3,
      },
    },
  });
  assert.ok(!/[\u0000-\u001f]/.test(line), line);
  assert.match(
    line,
    /^csp-report: "script-src" blocked "eval\\u001b\[2J\\nnext" in "x{200}" \("":"3"\)$/,
  );
  assert.match(describeReport({ report: 'not an object' }), /^csp-report: "" blocked ""/);
});

test('attachment drop box: write once, read back, ciphertext as given; bad ids, methods and sizes refused', async () => {
  const id = 'A1b2C3d4E5f6G7h8';
  const base = `/relay/attachments/${id}`;
  const file = Buffer.from([0x61, 0x67, 0x65, 0, 1, 2, 0xff]);
  assert.equal((await request('GET', `${base}/file`)).status, 404);
  const put = await request('PUT', `${base}/file`, { body: file });
  assert.equal(put.status, 201);
  assertSecurityHeaders(put);
  assert.equal((await request('PUT', `${base}/file`, { body: 'other' })).status, 409);
  assert.equal(
    (await request('PUT', `${base}/signature`, { body: '{"type":"medseal.record"}' })).status,
    201,
  );
  const got = await request('GET', `${base}/file`);
  assert.equal(got.status, 200);
  assertSecurityHeaders(got);
  assert.equal(got.headers['content-type'], 'application/octet-stream');
  assert.deepEqual(got.body, file);
  const sig = await request('GET', `${base}/signature`);
  assert.equal(sig.body.toString(), '{"type":"medseal.record"}');
  assert.deepEqual(srv.attachments.get(id).file, file);
  const head = await request('HEAD', `${base}/file`);
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  for (const p of [
    '/relay/attachments/short/file',
    `/relay/attachments/${id}/other`,
    `/relay/attachments/${id}/file/x`,
    `/relay/attachments/${id}`,
    `/relay/attachments/${'x'.repeat(65)}/file`,
    '/relay/attachments/A1b2C3d4E5f6G7h%2F/file',
  ]) {
    assert.equal((await request('GET', p)).status, 404, p);
    assert.equal((await request('PUT', p, { body: 'x' })).status, 404, p);
  }
  for (const method of ['POST', 'DELETE', 'PATCH']) {
    const r = await request(method, `${base}/file`);
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.allow, 'GET, HEAD, PUT');
  }
  assert.ok(srv.attachments.has(id), 'DELETE removed nothing');
  const big = await request('PUT', '/relay/attachments/B1b2C3d4E5f6G7h8/signature', {
    body: Buffer.alloc(64 * 1024 + 1),
  });
  assert.equal(big.status, 413);
  assert.equal(srv.attachments.has('B1b2C3d4E5f6G7h8'), false);
});
