// SPDX-License-Identifier: Apache-2.0
// The demo's attachment drop box: a write-once, in-memory store of opaque
// bytes, the first piece of the relay (README.md). The portal uploads an
// attachment as two objects, both ciphertext (docs/spec/attachment.md):
//
//   PUT/GET /relay/attachments/<id>/file        the age file (application/octet-stream)
//   PUT/GET /relay/attachments/<id>/signature   the sealed record v2 that carries the
//                                               signature object (JSON text)
//
// <id>: 16..64 characters of [A-Za-z0-9_-], chosen by the uploader. Each
// object is written once (a second PUT is 409) and lives until the process
// ends; at most MAX_ATTACHMENTS ids (then 507). It never parses, verifies
// or opens what it stores: it holds no key and needs none.
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
export const MAX_SIGNATURE_BYTES = 64 * 1024;
export const MAX_ATTACHMENTS = 100;
export const PREFIX = '/relay/attachments/';

const ID = /^[A-Za-z0-9_-]{16,64}$/;
const KINDS = {
  file: { limit: MAX_FILE_BYTES, type: 'application/octet-stream' },
  signature: { limit: MAX_SIGNATURE_BYTES, type: 'application/json; charset=utf-8' },
};

/**
 * @returns {{handle: (req, res, pathname: string, send: Function, readBody: Function) => Promise<void>,
 *            items: Map<string, {file?: Buffer, signature?: Buffer}>}}
 *   `send(res, status, body, contentType?, extraHeaders?)` and
 *   `readBody(req, limit)` are the server's (they add its security headers
 *   and enforce the size limit, 413). `items` is what was stored, by id.
 */
export function createAttachmentRelay() {
  const items = new Map();

  async function handle(req, res, pathname, send, readBody) {
    const [id, kind, ...rest] = pathname.slice(PREFIX.length).split('/');
    const spec = Object.hasOwn(KINDS, kind ?? '') ? KINDS[kind] : undefined;
    if (!ID.test(id ?? '') || spec === undefined || rest.length !== 0) {
      return send(res, 404, 'not found\n');
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const body = items.get(id)?.[kind];
      if (body === undefined) return send(res, 404, 'not found\n');
      return send(res, 200, body, spec.type);
    }
    if (req.method !== 'PUT') {
      return send(res, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD, PUT' });
    }
    const body = await readBody(req, spec.limit);
    const item = items.get(id);
    if (item?.[kind] !== undefined) return send(res, 409, 'already stored\n');
    if (item === undefined && items.size >= MAX_ATTACHMENTS) {
      return send(res, 507, 'the drop box is full\n');
    }
    if (item === undefined) items.set(id, { [kind]: body });
    else item[kind] = body;
    return send(res, 201, 'stored\n');
  }

  return { handle, items };
}
