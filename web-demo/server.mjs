// medseal web demo: a small static server with a strict Content-Security-Policy.
//
//   /                 -> web-demo/public/index.html (and the rest of web-demo/public)
//   /medseal/...      -> wasm/package/dist/... (the built npm package)
//   POST /csp-report  <- CSP violation reports (report-uri), kept in memory
//   GET  /csp-reports -> the reports received so far, as JSON
//   DELETE /csp-reports clears them
//
// Node's http module only. Bound to 127.0.0.1 unless told otherwise.
// Usage: PORT=8080 node web-demo/server.mjs   (or `npm start` in web-demo)

import http from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_PUBLIC_DIR = path.join(here, 'public');
export const DEFAULT_PACKAGE_DIR = path.resolve(here, '..', 'wasm', 'package', 'dist');

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
  '.ts': 'text/plain; charset=utf-8', // .d.ts type declarations, not MPEG-TS
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function mimeType(file) {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const MAX_REPORT_BYTES = 64 * 1024;
const MAX_REPORTS = 1000;

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
  const segments = decoded.split('/').filter((s, i) => !(i === 0 && s === ''));
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

/**
 * Starts the demo server.
 * @param {object} [opts]
 * @param {number} [opts.port=8080]   0 picks a free port
 * @param {string} [opts.host='127.0.0.1']
 * @param {string} [opts.publicDir]   defaults to web-demo/public
 * @param {string} [opts.packageDir]  defaults to wasm/package/dist (served under /medseal/)
 * @param {Record<string, {body: string|Buffer, contentType?: string}>} [opts.routes]
 *        extra fixed GET routes (tests use this for pages the demo does not ship)
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>,
 *                    cspReports: object[], server: http.Server}>}
 */
export async function startServer({
  port = 8080,
  host = '127.0.0.1',
  publicDir = DEFAULT_PUBLIC_DIR,
  packageDir = DEFAULT_PACKAGE_DIR,
  routes = {},
} = {}) {
  const cspReports = [];

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      const p = url.pathname;

      if (p === '/csp-report') {
        if (req.method !== 'POST') return send(res, 405, 'method not allowed\n', undefined, { Allow: 'POST' });
        const raw = await readBody(req, MAX_REPORT_BYTES);
        let report;
        try {
          report = JSON.parse(raw.toString('utf8'));
        } catch {
          return send(res, 400, 'bad report\n');
        }
        if (cspReports.length < MAX_REPORTS) {
          cspReports.push({ received: Date.now(), contentType: req.headers['content-type'] ?? '', report });
        }
        res.writeHead(204, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' });
        return res.end();
      }

      if (p === '/csp-reports') {
        if (req.method === 'DELETE') {
          cspReports.length = 0;
          res.writeHead(204, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' });
          return res.end();
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          return send(res, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD, DELETE' });
        }
        return send(res, 200, JSON.stringify(cspReports, null, 2) + '\n', MIME['.json']);
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
      }

      if (Object.hasOwn(routes, p)) {
        const r = routes[p];
        return send(res, 200, r.body, r.contentType ?? mimeType(p));
      }

      let found = null;
      if (p === '/medseal') {
        return send(res, 301, '', undefined, { Location: '/medseal/' });
      } else if (p.startsWith('/medseal/')) {
        found = await resolveUnder(packageDir, p.slice('/medseal/'.length));
      } else {
        found = await resolveUnder(publicDir, p.slice(1));
      }
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
      if (!res.headersSent) {
        send(res, err?.status ?? 500, err?.status ? 'payload too large\n' : 'internal error\n', undefined,
          err?.status ? { Connection: 'close' } : {});
      }
      else res.destroy();
    }
  });

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
    cspReports,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
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
  const port = process.env.PORT === undefined || process.env.PORT === '' ? 8080 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`server: bad PORT ${JSON.stringify(process.env.PORT)}`);
    process.exit(2);
  }
  const { url, close } = await startServer({ port, host: '127.0.0.1' });
  console.log(`medseal demo: ${url}`);
  const stop = () => {
    setTimeout(() => process.exit(0), 2000).unref();
    close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
