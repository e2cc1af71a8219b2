// Type of the embedded module: medseal_core.wasm compressed with raw DEFLATE
// (RFC 1951) and base64-encoded. scripts/bundle.mjs generates the module when
// it bundles dist/index.js; it is private to index.ts.
declare const deflatedBase64: string;
export default deflatedBase64;
