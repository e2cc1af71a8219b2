// SPDX-License-Identifier: Apache-2.0
// medseal web demo: a small static server with a strict Content-Security-Policy.
//
//   GET/HEAD /...      -> the built app, web-demo/dist/ (scripts/build.mjs)
//   POST /csp-report   <- CSP violation reports (report-uri), kept in memory
//                         and, when run as a program, printed to stderr
//   PUT/GET /relay/attachments/<id>/{file,signature}
//                      <-> the attachment drop box (../relay/attachments.mjs):
//                         write-once, in memory, ciphertext only
//   POST /relay/log/entries, GET /relay/log/{key,proof/...}, GET /log/checkpoint,
//   GET /log/tile/...  <-> the verifiable log (../relay/log.mjs): core's log
//                         operator checks every entry; C2SP tlog-tiles as static files;
//                         stored in SQLite (../relay/log-store.mjs)
//
// Nothing else: no test routes, no listing or clearing of reports over HTTP.
// Tests compose their own server from createHandler() (web-demo/README.md).
// Node's http module only. Bound to 127.0.0.1 unless told otherwise.
// Usage: PORT=8080 node web-demo/server/server.mjs   (or `npm start` in web-demo)

import http from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { createAttachmentRelay, PREFIX as RELAY_PREFIX } from '../relay/attachments.mjs';
import { createLogRelay, PREFIX as LOG_PREFIX, TILES_PREFIX } from '../relay/log.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_APP_DIR = path.resolve(here, '..', 'dist');
export const DEFAULT_DATA_DIR = path.resolve(here, '..', 'data');

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  'report-uri /csp-report',
].join('; ');

export const SECURITY_HEADERS = Object.freeze({
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
});

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function mimeType(file) {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export const MAX_REPORT_BYTES = 64 * 1024;
export const MAX_REPORTS = 1000;

function send(res, status, body, contentType = 'text/plain; charset=utf-8', extra = {}) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(String(body), 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': contentType,
    'Content-Length': buf.length,
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : buf);
}

// Maps a URL path to a file under `root`, or null if it is not allowed.
// The decoded path is split into segments; any empty, '.', '..' segment, a
// backslash or a NUL byte is refused, and the resolved real path (symlinks
// followed) must still lie inside the real root.
async function resolveUnder(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded === '' || decoded.endsWith('/')) decoded += 'index.html';
  const segments = decoded.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  let realRoot;
  let real;
  try {
    realRoot = await realpath(root);
    real = await realpath(path.join(realRoot, ...segments));
  } catch {
    return null;
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
  try {
    const st = await stat(real);
    return st.isFile() ? { file: real, size: st.size } : null;
  } catch {
    return null;
  }
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        // Answer 413 now; the rest of the body is drained and dropped.
        chunks.length = 0;
        reject(Object.assign(new Error('too large'), { status: 413 }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function checkOptions(fn, opts, allowed) {
  if (typeof opts !== 'object' || opts === null)
    throw new TypeError(`${fn}: options must be an object`);
  for (const name of Object.keys(opts)) {
    if (!allowed.includes(name))
      throw new TypeError(`${fn}: unknown option ${JSON.stringify(name)}`);
  }
}

/**
 * The demo's request handler: the files of `appDir` and POST /csp-report.
 * @param {object} [opts]
 * @param {string} [opts.appDir]       defaults to web-demo/dist
 * @param {(entry: object) => void} [opts.onCspReport]  called with each stored report
 * @param {Uint8Array} [opts.logSeed]  the log operator's 32-byte seed (default: logKeyFile's, or random per process)
 * @param {string} [opts.logDb]       the log's SQLite database (default ':memory:')
 * @param {string} [opts.logKeyFile]  the log operator's seed file (created 0600 if missing)
 * @returns {{handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
 *            cspReports: object[], attachments: Map<string, object>}}
 *          cspReports holds the reports received (at most MAX_REPORTS), oldest
 *          first, as {received, contentType, report}; the owner may empty it.
 *          attachments is the drop box's store (id -> {file?, signature?}).
 */
const LOG_OPTIONS = ['logSeed', 'logDb', 'logKeyFile'];

export function createHandler(opts = {}) {
  checkOptions('createHandler', opts, LOG_OPTIONS.concat(['appDir', 'onCspReport']));
  const { appDir = DEFAULT_APP_DIR, onCspReport, logSeed, logDb, logKeyFile } = opts;
  const cspReports = [];
  const relay = createAttachmentRelay();
  const log = createLogRelay({ seed: logSeed, db: logDb, keyFile: logKeyFile });

  async function handle(req, res) {
    try {
      const url = new URL(req.url, 'http://localhost');
      const p = url.pathname;

      if (p === '/csp-report') {
        if (req.method !== 'POST')
          return send(res, 405, 'method not allowed\n', undefined, { Allow: 'POST' });
        const raw = await readBody(req, MAX_REPORT_BYTES);
        let report;
        try {
          report = JSON.parse(raw.toString('utf8'));
        } catch {
          return send(res, 400, 'bad report\n');
        }
        if (cspReports.length < MAX_REPORTS) {
          const entry = {
            received: Date.now(),
            contentType: req.headers['content-type'] ?? '',
            report,
          };
          cspReports.push(entry);
          onCspReport?.(entry);
        }
        res.writeHead(204, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' });
        return res.end();
      }

      if (p.startsWith(RELAY_PREFIX)) return await relay.handle(req, res, p, send, readBody);
      if (p.startsWith(LOG_PREFIX)) return await log.handle(req, res, p, send, readBody, url);
      if (p.startsWith(TILES_PREFIX)) return await log.handleTiles(req, res, p, send);

      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
      }

      const found = await resolveUnder(appDir, p.slice(1));
      if (!found) return send(res, 404, 'not found\n');

      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': mimeType(found.file),
        'Content-Length': found.size,
        'Cache-Control': 'no-cache',
      });
      if (req.method === 'HEAD') return res.end();
      const stream = createReadStream(found.file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (err) {
      if (res.headersSent) res.destroy();
      else if (err?.status === 413)
        send(res, 413, 'payload too large\n', undefined, { Connection: 'close' });
      else send(res, 500, 'internal error\n');
    }
  }

  return { handle, cspReports, attachments: relay.items, log };
}

/**
 * Serves `handle` on host:port (0 picks a free port).
 * @returns {Promise<{url: string, port: number, server: http.Server, close: () => Promise<void>}>}
 */
export async function listen(handle, { port = 8080, host = '127.0.0.1' } = {}) {
  const server = http.createServer(handle);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${urlHost}:${addr.port}/`,
    port: addr.port,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/**
 * Starts the demo server.
 * @param {object} [opts]
 * @param {number} [opts.port=8080]   0 picks a free port
 * @param {string} [opts.host='127.0.0.1']
 * @param {string} [opts.appDir]      defaults to web-demo/dist
 * @param {(entry: object) => void} [opts.onCspReport]
 * @param {Uint8Array} [opts.logSeed]
 * @param {string} [opts.logDb]
 * @param {string} [opts.logKeyFile]
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>,
 *                    cspReports: object[], server: http.Server}>}
 */
export async function startServer(opts = {}) {
  checkOptions('startServer', opts, LOG_OPTIONS.concat(['port', 'host', 'appDir', 'onCspReport']));
  const { port, host, ...handlerOpts } = opts;
  const { handle, cspReports, attachments, log } = createHandler(handlerOpts);
  // A stored log that does not replay stops the start (its code in err.code).
  try {
    await log.ready();
  } catch (err) {
    await log.close();
    throw err;
  }
  const served = await listen(handle, { port, host });
  const close = async () => {
    await served.close();
    await log.close();
  };
  return { ...served, close, cspReports, attachments, log };
}

// One line per report, each field JSON-quoted and cut short: the body is
// whatever anyone on this host posted.
export function describeReport({ report }) {
  const r = report?.['csp-report'] ?? report ?? {};
  const field = (k) => JSON.stringify(String(r[k] ?? '').slice(0, 200));
  return (
    `csp-report: ${field('effective-directive')} blocked ${field('blocked-uri')} ` +
    `in ${field('document-uri')} (${field('source-file')}:${field('line-number')})`
  );
}

async function isMain() {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(await realpath(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}

if (await isMain()) {
  const port =
    process.env.PORT === undefined || process.env.PORT === '' ? 8080 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`server: bad PORT ${JSON.stringify(process.env.PORT)}`);
    process.exit(2);
  }
  try {
    await stat(path.join(DEFAULT_APP_DIR, 'index.html'));
  } catch {
    console.error(
      `server: ${DEFAULT_APP_DIR} holds no built app: run \`npm run build\` in web-demo first`,
    );
    process.exit(1);
  }
  // The relay's log is kept in web-demo/data/ (or MEDSEAL_LOG_DB, with its
  // operator key beside it), so that a restart keeps it.
  const logDb = process.env.MEDSEAL_LOG_DB || path.join(DEFAULT_DATA_DIR, 'log.sqlite');
  let started;
  try {
    started = await startServer({
      port,
      host: '127.0.0.1',
      onCspReport: (entry) => console.error(describeReport(entry)),
      logDb,
      logKeyFile: `${logDb}.operator-key`,
    });
  } catch (err) {
    console.error(`server: ${err.message}${err.code ? ` [${err.code}]` : ''}`);
    process.exit(1);
  }
  const { url, close } = started;
  console.log(`medseal demo: ${url}`);
  const stop = () => {
    setTimeout(() => process.exit(0), 2000).unref();
    close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
