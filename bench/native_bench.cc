// SPDX-License-Identifier: Apache-2.0
// Native benchmark: medseal core vs libsodium called directly.
//
// Rows (the same ids as bench/js/suite.mjs):
//   seal-1, seal-5   SealRecord + EncodeRecordBinary of a 2 KiB body to 1 / 5
//                    recipients (SodiumRng, FixedClock), ops/s
//   open-1, open-5   ParseRecordBinary + OpenRecord of those records, ops/s
//   aead-64 (fixed cost per call), aead-1k/64k/1m
//                    XChaCha20-Poly1305 encrypt + decrypt of one message,
//                    MB/s of message (10^6 bytes per second)
// Implementations per row:
//   medseal        core: record.h; for AEAD primitives.h's in-place API
//                  into reused buffers
//   medseal-alloc  AEAD rows only: primitives.h's allocating Result<Bytes> API
//   libsodium      the same construction written straight on libsodium's C
//                  API (docs/performance.md), buffers reused
// (the "baseline" column: libsodium, or the row's own baseline below).
//
// The post-quantum rows (ids as in bench/js/pq.mjs), ops/s:
//   pq-mlkem-encaps, pq-mlkem-decaps  core's MlKem768Encapsulate /
//                  MlKem768Decapsulate vs "pqclean", PQClean's C functions
//                  called directly on the same keys (crypto_kem_enc_derand
//                  with 32 bytes from randombytes_buf; crypto_kem_dec), what
//                  core wraps: the difference is core's FIPS 203 §7.2/§7.3
//                  key checks, SecretBytes and the Rng
//   pq-xwing-encaps, pq-xwing-decaps  core's X-Wing (no native peer)
//   pq-seal-1, pq-seal-5, pq-open-1, pq-open-5
//                  SealRecordV2 / OpenRecord of the 2 KiB body to the
//                  recipients' post-quantum cards (X-Wing stanzas) vs
//                  "medseal-x25519", the same people's classic cards
// Method: each implementation is calibrated to about --sample-ms per sample;
// then for each of --reps repetitions every implementation of the row takes
// one sample, in turn, the order reversed every other repetition (A B C,
// C B A, ...). Each implementation's median is reported; the ratio is the
// median over the repetitions of medseal's sample / libsodium's sample in the
// same repetition (paired; the same method as bench/js/suite.mjs). The libsodium construction is
// checked against core first (core opens what it seals and the other way round), so both do the
// same work.
//
// The age rows (ids as in bench/js/suite.mjs): age-enc-64k, age-dec-64k,
// age-enc-16m, age-dec-16m, and age-enc-1g, age-dec-1g unless --quick. One
// X25519 recipient; MB/s of plaintext. medseal: AgeEncryptor/AgeDecryptor
// (header included), the input pushed in 1 MiB pieces and the output
// dropped after every push (constant memory, as a file would be streamed);
// libsodium: the STREAM payload alone on crypto_aead_chacha20poly1305_ietf,
// chunk by chunk into one reused buffer (the floor any age implementation
// on libsodium can reach). The comparison with the `age` CLI, which needs
// whole processes, is bench/age-cli.sh: it runs this binary as
//   medseal_native_bench --age-encrypt RECIPIENT IN OUT
//   medseal_native_bench --age-decrypt IDENTITY_FILE IN OUT
// (stream a file through AgeEncryptor/AgeDecryptor, as `age -e/-d` does).
//
// The consent rows (same ids as suite.mjs; no baseline natively: Cedar is
// measured only in Node and Chromium) read bench/data/consent-workload.json
// and the Synthea bundles under --source-dir (default: the source tree it
// was built from).
//
// The Argon2id unlock rows (ids as in bench/js/argon2.mjs): argon2id-19m-2
// (OWASP's minimum, the keystore's floor) and argon2id-64m-3 (RFC 9106's
// second choice, the keystore's default), unlocks/s of a 32-byte key from a
// 21-byte passphrase: core's Argon2id vs crypto_pwhash called directly
// (what core wraps). --quick: both at 1 MiB.
//
// Usage: medseal_native_bench [--reps N] [--sample-ms MS] [--only ID,ID] [--json PATH]
//                             [--source-dir REPO] [--quick]
#include <sodium.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/age/keys.h"
#include "core/age/payload.h"
#include "core/age/stream.h"
#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/codec/json.h"
#include "core/consent/decision.h"
#include "core/consent/receipt.h"
#include "core/consent/request.h"
#include "core/consent/share.h"
#include "core/crypto/aead.h"
#include "core/crypto/argon2.h"
#include "core/crypto/mlkem.h"
#include "core/crypto/xwing.h"
#include "core/fhir/consent_resource.h"
#include "core/fhir/labeler.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/record.h"
#include "medseal_pqclean.h"

#ifndef MEDSEAL_BENCH_BUILD_TYPE
#define MEDSEAL_BENCH_BUILD_TYPE "unknown"
#endif

namespace {

using medseal::Bytes;
using medseal::ByteView;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "native_bench: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(medseal::Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

// ---------------------------------------------------------------------------
// The record construction on libsodium's C API (mirrors core/record/record.cc and
// docs/spec/record.md; no medseal code). Identities are given as raw keys.

constexpr size_t kKeyId = 16, kNonce = 24, kKey = 32, kTag = 16, kWrapped = 48, kSig = 64;
const char kWrapLabel[] = "medseal/v1/record/wrap";      // + 0x00
const char kSigLabel[] = "medseal/v1/record/signature";  // + 0x00

struct RawRecipient {
  Bytes key_id;  // 16
  Bytes kx_pk;   // 32
};

size_t PaddedSize(size_t n) {
  if (n <= 256) return 256;
  size_t e = 0;
  for (size_t m = n; m >>= 1;) ++e;
  size_t le = 0;
  for (size_t m = e; m >>= 1;) ++le;
  size_t mask = (size_t{1} << (e - (le + 1))) - 1;
  return (n + mask) & ~mask;
}

// wrap key = BLAKE2b-256(key = shared, label || eph_pk || recipient_pk)
void RawWrapKey(uint8_t out[32], const uint8_t shared[32], const uint8_t* eph_pk,
                const uint8_t* recipient_pk) {
  uint8_t msg[sizeof kWrapLabel + 64];
  std::memcpy(msg, kWrapLabel, sizeof kWrapLabel);  // includes the 0x00
  std::memcpy(msg + sizeof kWrapLabel, eph_pk, 32);
  std::memcpy(msg + sizeof kWrapLabel + 32, recipient_pk, 32);
  crypto_generichash(out, 32, msg, sizeof msg, shared, 32);
}

void RawSignatureMessage(uint8_t out[sizeof kSigLabel + 64], ByteView header, ByteView ct) {
  std::memcpy(out, kSigLabel, sizeof kSigLabel);
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 64);
  crypto_generichash_update(&st, header.data(), header.size());
  crypto_generichash_update(&st, ct.data(), ct.size());
  crypto_generichash_final(&st, out + sizeof kSigLabel, 64);
}

struct RawPayload {
  std::string content_type, record_id, resource_type;
  int64_t created = 0;
  Bytes body;
};

Bytes RawSeal(const uint8_t sender_sk[64], ByteView sender_kid, std::vector<RawRecipient> recips,
              const RawPayload& p) {
  std::sort(recips.begin(), recips.end(),
            [](const RawRecipient& a, const RawRecipient& b) { return a.key_id < b.key_id; });
  // Encode and pad the payload.
  size_t encoded = 3 + p.content_type.size() + p.record_id.size() + p.resource_type.size() + 12 +
                   p.body.size();
  size_t padded = PaddedSize(encoded + 1);
  Bytes pt(padded, 0);
  uint8_t* w = pt.data();
  for (const std::string* s : {&p.content_type, &p.record_id, &p.resource_type}) {
    *w++ = static_cast<uint8_t>(s->size());
    w = std::copy(s->begin(), s->end(), w);
  }
  for (int i = 0; i < 8; ++i)
    *w++ = static_cast<uint8_t>(static_cast<uint64_t>(p.created) >> (8 * i));
  for (int i = 0; i < 4; ++i) *w++ = static_cast<uint8_t>(p.body.size() >> (8 * i));
  w = std::copy(p.body.begin(), p.body.end(), w);
  *w = 0x80;

  uint8_t data_key[kKey], nonce[kNonce], eph_sk[32], eph_pk[32];
  randombytes_buf(data_key, sizeof data_key);
  randombytes_buf(nonce, sizeof nonce);
  randombytes_buf(eph_sk, sizeof eph_sk);
  crypto_scalarmult_base(eph_pk, eph_sk);

  // Header: magic, version, sender, nonce, ephemeral, count, stanzas, ct length.
  size_t ct_len = padded + kTag;
  size_t header_len = 5 + kKeyId + kNonce + 32 + 1 + recips.size() * (kKeyId + kWrapped) + 4;
  Bytes out(header_len + ct_len + kSig);
  uint8_t* h = out.data();
  std::memcpy(h, "msrc\x01", 5);
  h += 5;
  h = std::copy(sender_kid.begin(), sender_kid.end(), h);
  h = std::copy(nonce, nonce + kNonce, h);
  h = std::copy(eph_pk, eph_pk + 32, h);
  *h++ = static_cast<uint8_t>(recips.size());
  static const uint8_t kZeroNonce[kNonce] = {0};
  for (const RawRecipient& r : recips) {
    uint8_t shared[32], wrap[32];
    if (crypto_scalarmult(shared, eph_sk, r.kx_pk.data()) != 0) Die("raw seal: weak key");
    RawWrapKey(wrap, shared, eph_pk, r.kx_pk.data());
    h = std::copy(r.key_id.begin(), r.key_id.end(), h);
    crypto_aead_xchacha20poly1305_ietf_encrypt(h, nullptr, data_key, kKey, nullptr, 0, nullptr,
                                               kZeroNonce, wrap);
    h += kWrapped;
    sodium_memzero(shared, sizeof shared);
    sodium_memzero(wrap, sizeof wrap);
  }
  for (int i = 0; i < 4; ++i) *h++ = static_cast<uint8_t>(ct_len >> (8 * i));
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + header_len, nullptr, pt.data(), padded,
                                             out.data(), header_len, nullptr, nonce, data_key);
  uint8_t msg[sizeof kSigLabel + 64];
  RawSignatureMessage(msg, ByteView(out.data(), header_len),
                      ByteView(out.data() + header_len, ct_len));
  crypto_sign_detached(out.data() + header_len + ct_len, nullptr, msg, sizeof msg, sender_sk);
  sodium_memzero(data_key, sizeof data_key);
  sodium_memzero(eph_sk, sizeof eph_sk);
  sodium_memzero(pt.data(), pt.size());
  return out;
}

// Parses, verifies, unwraps and decrypts; returns the body (dies on failure:
// the benchmark only opens records it sealed).
RawPayload RawOpen(ByteView rec, ByteView sender_kid, const uint8_t sender_pk[32], ByteView my_kid,
                   const uint8_t my_kx_sk[32], const uint8_t my_kx_pk[32]) {
  if (rec.size() < 82 || std::memcmp(rec.data(), "msrc\x01", 5) != 0) Die("raw open: header");
  const uint8_t* p = rec.data() + 5;
  if (std::memcmp(p, sender_kid.data(), kKeyId) != 0) Die("raw open: sender");
  const uint8_t* nonce = p + kKeyId;
  const uint8_t* eph_pk = nonce + kNonce;
  size_t count = eph_pk[32];
  const uint8_t* stanzas = eph_pk + 33;
  size_t header_len = 5 + kKeyId + kNonce + 32 + 1 + count * (kKeyId + kWrapped) + 4;
  if (rec.size() < header_len) Die("raw open: truncated");
  const uint8_t* lp = rec.data() + header_len - 4;
  size_t ct_len = size_t{lp[0]} | size_t{lp[1]} << 8 | size_t{lp[2]} << 16 | size_t{lp[3]} << 24;
  if (ct_len < kTag || rec.size() != header_len + ct_len + kSig) Die("raw open: length");
  ByteView header = rec.first(header_len);
  ByteView ct = rec.subspan(header_len, ct_len);
  uint8_t msg[sizeof kSigLabel + 64];
  RawSignatureMessage(msg, header, ct);
  if (crypto_sign_verify_detached(rec.data() + header_len + ct_len, msg, sizeof msg, sender_pk) !=
      0) {
    Die("raw open: signature");
  }
  const uint8_t* mine = nullptr;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* s = stanzas + i * (kKeyId + kWrapped);
    if (std::memcmp(s, my_kid.data(), kKeyId) == 0) mine = s + kKeyId;
  }
  if (mine == nullptr) Die("raw open: not a recipient");
  uint8_t shared[32], wrap[32], data_key[kKey];
  static const uint8_t kZeroNonce[kNonce] = {0};
  if (crypto_scalarmult(shared, my_kx_sk, eph_pk) != 0) Die("raw open: weak key");
  RawWrapKey(wrap, shared, eph_pk, my_kx_pk);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(data_key, nullptr, nullptr, mine, kWrapped,
                                                 nullptr, 0, kZeroNonce, wrap) != 0) {
    Die("raw open: unwrap");
  }
  Bytes pt(ct_len - kTag);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(pt.data(), nullptr, nullptr, ct.data(), ct_len,
                                                 header.data(), header_len, nonce, data_key) != 0) {
    Die("raw open: decrypt");
  }
  sodium_memzero(shared, sizeof shared);
  sodium_memzero(wrap, sizeof wrap);
  sodium_memzero(data_key, sizeof data_key);
  // Unpad and decode.
  size_t end = pt.size();
  while (end > 0 && pt[end - 1] == 0) --end;
  if (end == 0 || pt[end - 1] != 0x80 || PaddedSize(end) != pt.size()) Die("raw open: padding");
  RawPayload out;
  size_t pos = 0, limit = end - 1;
  auto str = [&](std::string& s) {
    if (pos >= limit || limit - pos - 1 < pt[pos]) Die("raw open: payload");
    size_t n = pt[pos++];
    s.assign(reinterpret_cast<const char*>(pt.data() + pos), n);
    pos += n;
  };
  str(out.content_type);
  str(out.record_id);
  str(out.resource_type);
  if (limit - pos < 12) Die("raw open: payload");
  uint64_t created = 0;
  for (int i = 0; i < 8; ++i) created |= uint64_t{pt[pos + i]} << (8 * i);
  size_t body_len = 0;
  for (int i = 0; i < 4; ++i) body_len |= size_t{pt[pos + 8 + i]} << (8 * i);
  pos += 12;
  if (limit - pos != body_len) Die("raw open: body length");
  out.created = static_cast<int64_t>(created);
  out.body.assign(pt.begin() + static_cast<std::ptrdiff_t>(pos),
                  pt.begin() + static_cast<std::ptrdiff_t>(limit));
  sodium_memzero(pt.data(), pt.size());
  return out;
}

// Raw keys of an identity, derived as core does (spec §3), for the
// libsodium construction.
struct RawIdentity {
  Bytes key_id, sign_pk, kx_pk;
  uint8_t sign_sk[64];
  uint8_t kx_sk[32];
};

RawIdentity DeriveRaw(ByteView seed) {
  RawIdentity id;
  const char ed_label[] = "medseal/v1/identity/ed25519";
  const char kx_label[] = "medseal/v1/identity/x25519";
  uint8_t ed_seed[32];
  crypto_generichash(ed_seed, 32, reinterpret_cast<const uint8_t*>(ed_label), sizeof ed_label,
                     seed.data(), seed.size());
  crypto_generichash(id.kx_sk, 32, reinterpret_cast<const uint8_t*>(kx_label), sizeof kx_label,
                     seed.data(), seed.size());
  id.sign_pk.resize(32);
  id.kx_pk.resize(32);
  crypto_sign_seed_keypair(id.sign_pk.data(), id.sign_sk, ed_seed);
  crypto_scalarmult_base(id.kx_pk.data(), id.kx_sk);
  sodium_memzero(ed_seed, sizeof ed_seed);
  const char kid_label[] = "medseal/v1/key-id";
  Bytes msg(kid_label, kid_label + sizeof kid_label);
  msg.insert(msg.end(), id.sign_pk.begin(), id.sign_pk.end());
  msg.insert(msg.end(), id.kx_pk.begin(), id.kx_pk.end());
  id.key_id.resize(kKeyId);
  crypto_generichash(id.key_id.data(), kKeyId, msg.data(), msg.size(), nullptr, 0);
  return id;
}

// ---------------------------------------------------------------------------
// Harness.

using SteadyClock = std::chrono::steady_clock;

#if defined(__clang__)
const char kCompiler[] = "clang " __clang_version__;
#elif defined(__GNUC__)
const char kCompiler[] = "gcc " __VERSION__;
#else
const char kCompiler[] = "unknown";
#endif

struct Impl {
  Impl(std::string n, std::function<void()> f) : name(std::move(n)), op(std::move(f)) {}
  std::string name;
  std::function<void()> op;
  uint64_t iters = 1;
  std::vector<double> samples;  // ops/s or MB/s
};

struct Row {
  std::string id, label, unit;
  double bytes_per_op = 0;  // > 0: MB/s rows
  std::vector<Impl> impls;
  // The implementation medseal is compared with; "" for a row without one
  // (the consent rows: Cedar has no native build here, and signing,
  // labeling and sharing have no counterpart).
  std::string baseline = "libsodium";
};

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

double TimeIters(const std::function<void()>& op, uint64_t n) {
  auto t0 = SteadyClock::now();
  for (uint64_t i = 0; i < n; ++i) op();
  return Seconds(SteadyClock::now() - t0);
}

void Calibrate(Impl& impl, double sample_s) {
  impl.op();  // warm-up
  uint64_t n = 1;
  double t = TimeIters(impl.op, n);
  while (t < sample_s / 4) {
    n *= 2;
    t = TimeIters(impl.op, n);
  }
  impl.iters = std::max<uint64_t>(1, static_cast<uint64_t>(static_cast<double>(n) * sample_s / t));
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const Impl& Find(const Row& row, const std::string& name);

// Median over the repetitions of medseal's sample / the baseline's sample.
double PairedRatio(const Row& row) {
  const std::vector<double>& a = Find(row, "medseal").samples;
  const std::vector<double>& b = Find(row, row.baseline).samples;
  std::vector<double> r(a.size());
  for (size_t i = 0; i < a.size(); ++i) r[i] = a[i] / b[i];
  return Median(std::move(r));
}

const Impl& Find(const Row& row, const std::string& name) {
  for (const Impl& impl : row.impls) {
    if (impl.name == name) return impl;
  }
  Die("no implementation " + name + " in row " + row.id);
}

void RunRow(Row& row, int reps, double sample_s) {
  for (Impl& impl : row.impls) Calibrate(impl, sample_s);
  const size_t n = row.impls.size();
  for (int r = 0; r < reps; ++r) {
    for (size_t k = 0; k < n; ++k) {
      Impl& impl = row.impls[r % 2 == 0 ? k : n - 1 - k];
      double t = TimeIters(impl.op, impl.iters);
      double ops = static_cast<double>(impl.iters) / t;
      impl.samples.push_back(row.bytes_per_op > 0 ? ops * row.bytes_per_op / 1e6 : ops);
    }
  }
}

std::string ReadFirstLine(const char* path, const char* prefix) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (prefix == nullptr || line.rfind(prefix, 0) == 0) {
      if (prefix != nullptr) {
        size_t colon = line.find(':');
        if (colon != std::string::npos) line = line.substr(colon + 2);
      }
      return line;
    }
  }
  return "";
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out;
}

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// ---------------------------------------------------------------------------
// The consent rows (ids as in bench/js/suite.mjs).

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const medseal::Json& Member(const medseal::Json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key)) Die(std::string("workload: no member ") + key);
  return obj[key];
}

// bench/data/consent-workload.json (bench/js/gen-consent-workload.mjs):
// the consents through fhir::ParseConsentJson (R4), the requests through
// consent::ParseAccessRequest, as the package reads them.
struct ConsentWorkload {
  std::vector<medseal::Json> resources;  // the FHIR Consents as written
  std::vector<medseal::fhir::Consent> consents;
  std::vector<medseal::consent::AccessRequest> requests;
  std::vector<bool> permit;  // the expected decision of each request
  medseal::UnixMillis now = 0;
};

ConsentWorkload LoadWorkload(const std::string& source_dir) {
  const std::string path = source_dir + "/bench/data/consent-workload.json";
  medseal::Json w = Must(medseal::ParseJsonObject(ReadFile(path), size_t{64} << 20), path.c_str());
  ConsentWorkload out;
  const medseal::Json& now = Member(w, "nowMs");
  if (!now.is_number_integer()) Die("workload: nowMs");
  out.now = now.get<int64_t>();
  const medseal::Json& consents = Member(w, "consents");
  const medseal::Json& requests = Member(w, "requests");
  if (!consents.is_array() || !requests.is_array()) Die("workload: consents or requests");
  for (const medseal::Json& c : consents) {
    medseal::fhir::ParsedConsent parsed = Must(
        medseal::fhir::ParseConsentJson(c, medseal::fhir::FhirVersion::kR4), "consent");
    if (!parsed.unsupported_paths.empty()) {
      Die("workload: a consent has elements the model does not cover: " +
          parsed.unsupported_paths.front());
    }
    out.resources.push_back(c);
    out.consents.push_back(std::move(parsed.consent));
  }
  for (const medseal::Json& q : requests) {
    out.requests.push_back(
        Must(medseal::consent::ParseAccessRequest(Member(q, "request")), "request"));
    const medseal::Json& e = Member(q, "expected");
    if (!e.is_string() || (e != "permit" && e != "deny")) Die("workload: expected");
    out.permit.push_back(e == "permit");
  }
  if (out.consents.empty() || out.requests.empty()) Die("workload: empty");
  return out;
}

// The labeling and Share rows' Bundle: 1,000 entries of the Synthea bundles
// in native-tests/vectors/external/fhir/synthea/, in file-name order, each
// entry's fullUrl and resource; the bundles hold 904, so the sequence starts
// again for the rest, pass p's copies with "-copy<p>" appended to the
// resource id and the fullUrl (exactly as bench/js/consent.mjs's
// syntheaBundle builds it).
medseal::Json SyntheaBundle(const std::string& source_dir, size_t n) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(source_dir) / "native-tests/vectors/external/fhir/synthea";
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  if (ec || files.size() < 5) Die(dir.string() + ": need 5 Synthea bundles");
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  std::vector<medseal::Json> all;
  for (const fs::path& f : files) {
    medseal::Json b = Must(medseal::ParseJsonObject(ReadFile(f.string()), size_t{16} << 20),
                           "synthea bundle");
    if (!b.contains("entry") || !b["entry"].is_array()) Die("synthea bundle without entries");
    for (medseal::Json& e : b["entry"]) {
      if (!e.is_object() || !e.contains("fullUrl") || !e["fullUrl"].is_string() ||
          !e.contains("resource") || !e["resource"].is_object()) {
        Die("synthea entry without fullUrl or resource");
      }
      all.push_back(std::move(e));
    }
  }
  if (all.empty()) Die("synthea bundles: no entries");
  medseal::Json entries = medseal::Json::array();
  for (size_t i = 0; i < n; ++i) {
    const medseal::Json& e = all[i % all.size()];
    const size_t pass = i / all.size();
    medseal::Json resource = e["resource"];
    std::string full_url = e["fullUrl"].get<std::string>();
    if (pass > 0) {
      const std::string suffix = "-copy" + std::to_string(pass);
      if (resource.contains("id") && resource["id"].is_string()) {
        resource["id"] = resource["id"].get<std::string>() + suffix;
      }
      full_url += suffix;
    }
    entries.push_back(medseal::Json{{"fullUrl", full_url}, {"resource", std::move(resource)}});
  }
  return medseal::Json{{"resourceType", "Bundle"},
                       {"id", "bench-synthea-1k"},
                       {"type", "collection"},
                       {"entry", std::move(entries)}};
}

// ---------------------------------------------------------------------------
// The age rows and the file mode bench/age-cli.sh runs.

constexpr size_t kAgePiece = size_t{1} << 20;

// Streams `in` through an AgeEncryptor/AgeDecryptor into `out`, 1 MiB at a
// time, as the `age` CLI streams a file. Returns the process exit code.
int AgeFileMode(const std::string& mode, const std::string& key_arg, const std::string& in_path,
                const std::string& out_path) {
  FILE* in = std::fopen(in_path.c_str(), "rb");
  FILE* out = std::fopen(out_path.c_str(), "wb");
  if (in == nullptr || out == nullptr) Die("cannot open the input or the output file");
  std::vector<uint8_t> buf(kAgePiece);
  Bytes produced;
  produced.reserve(kAgePiece + 2 * medseal::kAgeSealedChunkSize);
  auto flush = [&] {
    if (!produced.empty() &&
        std::fwrite(produced.data(), 1, produced.size(), out) != produced.size()) {
      Die("short write");
    }
    if (mode != "--age-encrypt") medseal::SecureWipe(produced);  // plaintext only
    produced.clear();
  };
  medseal::Status status;
  if (mode == "--age-encrypt") {
    std::vector<medseal::AgeRecipient> to = {
        Must(medseal::AgeRecipient::Parse(key_arg), "recipient")};
    medseal::SodiumRng rng;
    auto enc = Must(medseal::AgeEncryptor::Create(to, rng), "AgeEncryptor");
    for (size_t n; status.ok() && (n = std::fread(buf.data(), 1, buf.size(), in)) > 0;) {
      status = enc.Push(ByteView(buf.data(), n), produced);
      flush();
    }
    if (status.ok()) status = enc.Finish(produced);
  } else {
    const std::string text = ReadFile(key_arg);
    std::vector<medseal::AgeIdentity> ids;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("AGE-SECRET-KEY-1", 0) == 0) {
        ids.push_back(Must(medseal::AgeIdentity::Parse(line), "identity"));
      }
    }
    if (ids.empty()) Die("no AGE-SECRET-KEY-1 line in the identity file");
    auto dec = Must(medseal::AgeDecryptor::Create(ids), "AgeDecryptor");
    for (size_t n; status.ok() && (n = std::fread(buf.data(), 1, buf.size(), in)) > 0;) {
      status = dec.Push(ByteView(buf.data(), n), produced);
      flush();
    }
    if (status.ok()) status = dec.Finish(produced);
  }
  flush();
  std::fclose(in);
  if (std::fclose(out) != 0) Die("cannot close the output");
  if (!status.ok()) Die(status.ToString());
  return 0;
}

// The source plaintext of the age rows: a 16 MiB pattern buffer pushed as
// many times as the row's size needs (1 GiB = 64 passes).
struct AgeWorkload {
  size_t size = 0;
  std::shared_ptr<const Bytes> source;  // min(size, 16 MiB) bytes
  std::shared_ptr<const Bytes> file;    // the age file of `size` bytes
};

template <typename Sink>
void PushSource(const AgeWorkload& w, Sink&& push) {
  for (size_t done = 0; done < w.size;) {
    const size_t n =
        std::min({kAgePiece, w.size - done, w.source->size() - done % w.source->size()});
    push(ByteView(w.source->data() + done % w.source->size(), n));
    done += n;
  }
}

// The STREAM payload on libsodium alone (the floor): HKDF-free, chunk by
// chunk into one reused buffer.
void RawStreamEncrypt(const AgeWorkload& w, const uint8_t key[32], Bytes& chunk_buf) {
  uint8_t nonce[12] = {0};
  uint64_t counter = 0;
  Bytes pending;
  const size_t chunks =
      w.size == 0 ? 1 : (w.size + medseal::kAgeChunkSize - 1) / medseal::kAgeChunkSize;
  PushSource(w, [&](ByteView piece) {
    for (size_t off = 0; off < piece.size(); off += medseal::kAgeChunkSize) {
      const size_t n = std::min(medseal::kAgeChunkSize, piece.size() - off);
      for (int i = 0; i < 8; ++i) nonce[10 - i] = static_cast<uint8_t>(counter >> (8 * i));
      nonce[11] = counter + 1 == chunks ? 1 : 0;
      crypto_aead_chacha20poly1305_ietf_encrypt(chunk_buf.data(), nullptr, piece.data() + off, n,
                                                nullptr, 0, nullptr, nonce, key);
      ++counter;
    }
  });
}

bool RawStreamDecrypt(ByteView payload_chunks, const uint8_t key[32], Bytes& chunk_buf) {
  uint8_t nonce[12] = {0};
  uint64_t counter = 0;
  const size_t sealed = medseal::kAgeSealedChunkSize;
  for (size_t off = 0; off < payload_chunks.size(); off += sealed) {
    const size_t n = std::min(sealed, payload_chunks.size() - off);
    for (int i = 0; i < 8; ++i) nonce[10 - i] = static_cast<uint8_t>(counter >> (8 * i));
    nonce[11] = off + n == payload_chunks.size() ? 1 : 0;
    if (crypto_aead_chacha20poly1305_ietf_decrypt(chunk_buf.data(), nullptr, nullptr,
                                                  payload_chunks.data() + off, n, nullptr, 0, nonce,
                                                  key) != 0) {
      return false;
    }
    ++counter;
  }
  return true;
}

void AddAgeRows(std::vector<Row>& rows, bool quick) {
  Bytes sk(32);
  for (size_t i = 0; i < sk.size(); ++i) sk[i] = static_cast<uint8_t>(0xA5 ^ i);
  auto id = std::make_shared<const medseal::AgeIdentity>(
      Must(medseal::AgeIdentity::X25519(medseal::SecretBytes::CopyFrom(sk)), "age identity"));
  auto to = std::make_shared<const std::vector<medseal::AgeRecipient>>(
      std::vector<medseal::AgeRecipient>{Must(id->Recipient(), "age recipient")});
  auto ids = std::make_shared<const std::vector<medseal::AgeIdentity>>(
      std::vector<medseal::AgeIdentity>{*id});
  auto rng = std::make_shared<medseal::SodiumRng>();
  std::vector<std::tuple<const char*, const char*, size_t>> sizes = {
      {"64k", "64 KiB", size_t{64} << 10}, {"16m", "16 MiB", size_t{16} << 20}};
  if (!quick) sizes.emplace_back("1g", "1 GiB", size_t{1} << 30);
  for (const auto& [tag, label, size] : sizes) {
    AgeWorkload w;
    w.size = size;
    auto source = std::make_shared<Bytes>(std::min(size, size_t{16} << 20));
    randombytes_buf(source->data(), source->size());
    w.source = source;
    // The file, and a check that it decrypts to the source (streamed).
    auto file = std::make_shared<Bytes>();
    file->reserve(size + size / medseal::kAgeChunkSize * 16 + 4096);
    auto enc = Must(medseal::AgeEncryptor::Create(*to, *rng), "AgeEncryptor");
    PushSource(w, [&](ByteView piece) {
      if (!enc.Push(piece, *file).ok()) Die("age encrypt");
    });
    if (!enc.Finish(*file).ok()) Die("age finish");
    w.file = file;
    {
      auto dec = Must(medseal::AgeDecryptor::Create(*ids), "AgeDecryptor");
      Bytes out;
      size_t checked = 0;
      for (size_t off = 0; off < file->size(); off += kAgePiece) {
        out.clear();
        if (!dec.Push(ByteView(*file).subspan(off, std::min(kAgePiece, file->size() - off)), out)
                 .ok()) {
          Die("age decrypt (check)");
        }
        for (size_t i = 0; i < out.size(); ++i) {
          if (out[i] != (*source)[(checked + i) % source->size()]) Die("age round trip differs");
        }
        checked += out.size();
      }
      out.clear();
      if (!dec.Finish(out).ok() || checked + out.size() != size) Die("age decrypt (finish)");
    }
    // The libsodium floor seals the same chunks under a key of its own (core
    // does not expose the file key); its size must be core's payload size.
    auto ra = Must(medseal::AgeRandomAccess::Open(*file, file->size(), *ids), "age header");
    const size_t payload_at = ra.header().size + medseal::kAgePayloadNonceSize;
    auto raw_key = std::make_shared<Bytes>(32);
    randombytes_buf(raw_key->data(), raw_key->size());
    auto raw_file = std::make_shared<Bytes>();  // the STREAM chunks under raw_key
    {
      Bytes chunk(medseal::kAgeSealedChunkSize);
      uint64_t counter = 0;
      const size_t chunks =
          size == 0 ? 1 : (size + medseal::kAgeChunkSize - 1) / medseal::kAgeChunkSize;
      raw_file->reserve(file->size() - payload_at);
      PushSource(w, [&](ByteView piece) {
        for (size_t off = 0; off < piece.size(); off += medseal::kAgeChunkSize) {
          const size_t n = std::min(medseal::kAgeChunkSize, piece.size() - off);
          uint8_t nonce[12] = {0};
          for (int i = 0; i < 8; ++i) nonce[10 - i] = static_cast<uint8_t>(counter >> (8 * i));
          nonce[11] = counter + 1 == chunks ? 1 : 0;
          crypto_aead_chacha20poly1305_ietf_encrypt(chunk.data(), nullptr, piece.data() + off, n,
                                                    nullptr, 0, nullptr, nonce, raw_key->data());
          raw_file->insert(raw_file->end(), chunk.begin(),
                           chunk.begin() + static_cast<ptrdiff_t>(n + 16));
          ++counter;
        }
      });
      if (raw_file->size() != file->size() - payload_at) Die("raw STREAM size differs from core's");
      if (!RawStreamDecrypt(*raw_file, raw_key->data(), chunk)) Die("raw STREAM round trip");
    }
    auto chunk_buf = std::make_shared<Bytes>(medseal::kAgeSealedChunkSize);
    auto out_buf = std::make_shared<Bytes>();
    out_buf->reserve(kAgePiece + 2 * medseal::kAgeSealedChunkSize);

    Row e{std::string("age-enc-") + tag,
          std::string("age encrypt ") + label + " (X25519)",
          "MB/s",
          static_cast<double>(size),
          {}};
    e.impls.push_back({"medseal", [=] {
                         auto enc2 = Must(medseal::AgeEncryptor::Create(*to, *rng), "enc");
                         PushSource(w, [&](ByteView piece) {
                           out_buf->clear();
                           if (!enc2.Push(piece, *out_buf).ok()) Die("age encrypt");
                         });
                         out_buf->clear();
                         if (!enc2.Finish(*out_buf).ok()) Die("age finish");
                       }});
    e.impls.push_back({"libsodium", [=] { RawStreamEncrypt(w, raw_key->data(), *chunk_buf); }});
    rows.push_back(std::move(e));

    Row d{std::string("age-dec-") + tag,
          std::string("age decrypt ") + label + " (X25519)",
          "MB/s",
          static_cast<double>(size),
          {}};
    d.impls.push_back(
        {"medseal", [=] {
           auto dec = Must(medseal::AgeDecryptor::Create(*ids), "dec");
           for (size_t off = 0; off < file->size(); off += kAgePiece) {
             out_buf->clear();
             if (!dec.Push(ByteView(*file).subspan(off, std::min(kAgePiece, file->size() - off)),
                           *out_buf)
                      .ok()) {
               Die("age decrypt");
             }
           }
           out_buf->clear();
           if (!dec.Finish(*out_buf).ok()) Die("age decrypt finish");
         }});
    d.impls.push_back({"libsodium", [=] {
                         if (!RawStreamDecrypt(*raw_file, raw_key->data(), *chunk_buf)) {
                           Die("raw STREAM decrypt");
                         }
                       }});
    rows.push_back(std::move(d));
  }
}
}  // namespace

// ---------------------------------------------------------------------------
// Post-quantum KEM rows.

bool Same(ByteView a, ByteView b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

void AddPqKemRows(std::vector<Row>& rows, medseal::Rng& rng) {
  Bytes seed(64);
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(i * 13 + 5);
  auto kp = std::make_shared<medseal::MlKem768KeyPair>(
      Must(medseal::MlKem768KeyPairFromSeed(seed), "ML-KEM key pair"));
  const Bytes pk = kp->public_key;
  const Bytes sk(medseal::RevealSecret(kp->secret_key).begin(),
                 medseal::RevealSecret(kp->secret_key).end());
  // Cross-check: PQClean decapsulates what core encapsulated, and core what
  // PQClean encapsulated.
  auto enc = Must(medseal::MlKem768Encapsulate(pk, rng), "ML-KEM encapsulate");
  uint8_t ss[32], ct[1088], coins[32];
  PQCLEAN_MLKEM768_CLEAN_crypto_kem_dec(ss, enc.ciphertext.data(), sk.data());
  if (!Same(ByteView(ss, 32), medseal::RevealSecret(enc.shared_secret)))
    Die("PQClean decaps of core");
  randombytes_buf(coins, sizeof coins);
  PQCLEAN_MLKEM768_CLEAN_crypto_kem_enc_derand(ct, ss, pk.data(), coins);
  auto dec = Must(
      medseal::MlKem768Decapsulate(medseal::RevealSecret(kp->secret_key), ByteView(ct, sizeof ct)),
      "ML-KEM decapsulate");
  if (!Same(ByteView(ss, 32), medseal::RevealSecret(dec))) Die("core decaps of PQClean");
  const Bytes ciphertext = enc.ciphertext;

  Row e{"pq-mlkem-encaps", "ML-KEM-768 encapsulate", "ops/s", 0, {}};
  e.baseline = "pqclean";
  e.impls.push_back({"medseal", [pk, &rng] {
                       if (!medseal::MlKem768Encapsulate(pk, rng).ok()) Die("ML-KEM encaps");
                     }});
  e.impls.push_back({"pqclean", [pk] {
                       uint8_t c[1088], k[32], m[32];
                       randombytes_buf(m, sizeof m);
                       PQCLEAN_MLKEM768_CLEAN_crypto_kem_enc_derand(c, k, pk.data(), m);
                       sodium_memzero(k, sizeof k);
                       sodium_memzero(m, sizeof m);
                     }});
  rows.push_back(std::move(e));
  Row d{"pq-mlkem-decaps", "ML-KEM-768 decapsulate", "ops/s", 0, {}};
  d.baseline = "pqclean";
  d.impls.push_back(
      {"medseal", [kp, ciphertext] {
         if (!medseal::MlKem768Decapsulate(medseal::RevealSecret(kp->secret_key), ciphertext)
                  .ok()) {
           Die("ML-KEM decaps");
         }
       }});
  d.impls.push_back({"pqclean", [sk, ciphertext] {
                       uint8_t k[32];
                       PQCLEAN_MLKEM768_CLEAN_crypto_kem_dec(k, ciphertext.data(), sk.data());
                       sodium_memzero(k, sizeof k);
                     }});
  rows.push_back(std::move(d));

  Bytes xseed(32);
  for (size_t i = 0; i < xseed.size(); ++i) xseed[i] = static_cast<uint8_t>(i * 11 + 3);
  auto xkey = std::make_shared<medseal::XWingPrivateKey>(
      Must(medseal::XWingPrivateKey::FromSeed(xseed), "X-Wing key"));
  const Bytes xpk = xkey->public_key();
  auto xenc = Must(medseal::XWingEncapsulate(xpk, rng), "X-Wing encapsulate");
  auto xss = Must(xkey->Decapsulate(xenc.ciphertext), "X-Wing decapsulate");
  if (!Same(medseal::RevealSecret(xss), medseal::RevealSecret(xenc.shared_secret)))
    Die("X-Wing round trip");
  const Bytes xct = xenc.ciphertext;
  Row xe{"pq-xwing-encaps", "X-Wing encapsulate", "ops/s", 0, {}};
  xe.baseline = "";
  xe.impls.push_back({"medseal", [xpk, &rng] {
                        if (!medseal::XWingEncapsulate(xpk, rng).ok()) Die("X-Wing encaps");
                      }});
  rows.push_back(std::move(xe));
  Row xd{"pq-xwing-decaps", "X-Wing decapsulate", "ops/s", 0, {}};
  xd.baseline = "";
  xd.impls.push_back({"medseal", [xkey, xct] {
                        if (!xkey->Decapsulate(xct).ok()) Die("X-Wing decaps");
                      }});
  rows.push_back(std::move(xd));
}

// ---------------------------------------------------------------------------
// Argon2id unlock rows: the same parameters, passphrase and salt as
// bench/js/argon2.mjs (the keys are printed, and must agree with libsodium's).

void AddArgon2Rows(std::vector<Row>& rows, bool quick,
                   const std::function<bool(const std::string&)>& want) {
  struct Params {
    const char* id;
    uint32_t memory_kib;
    uint32_t passes;
    const char* what;
  };
  const Params all[] = {{"argon2id-19m-2", 19456, 2, "OWASP's minimum (keystore floor)"},
                        {"argon2id-64m-3", 65536, 3, "RFC 9106 second choice (keystore default)"}};
  static const std::string kPassphrase = "correct horse battery";
  auto salt = std::make_shared<Bytes>(16);
  for (size_t i = 0; i < salt->size(); ++i) (*salt)[i] = static_cast<uint8_t>((i * 37 + 5) & 0xff);
  const ByteView pw = medseal::AsBytes(kPassphrase);
  for (const Params& p : all) {
    if (!want(p.id)) continue;
    const uint32_t memory_kib = quick ? 1024 : p.memory_kib;
    const uint32_t passes = p.passes;
    auto medseal_key = [=] {
      return Must(medseal::Argon2id(pw, *salt, passes, memory_kib, 32), "Argon2id");
    };
    auto out = std::make_shared<Bytes>(32);
    auto sodium_key = [=] {
      if (crypto_pwhash(out->data(), out->size(), kPassphrase.data(), kPassphrase.size(),
                        salt->data(), passes, static_cast<size_t>(memory_kib) * 1024,
                        crypto_pwhash_ALG_ARGON2ID13) != 0) {
        Die("crypto_pwhash");
      }
    };
    medseal::SecretBytes k = medseal_key();
    sodium_key();
    if (!Same(medseal::RevealSecret(k), *out))
      Die(std::string(p.id) + ": core's key differs from libsodium's");
    std::printf("%s: core and crypto_pwhash derive the same key at %u KiB, %u passes\n", p.id,
                memory_kib, passes);
    char label[128];
    if (quick) {
      std::snprintf(label, sizeof label, "Argon2id unlock %u KiB (quick), %u passes: %s",
                    memory_kib, passes, p.what);
    } else {
      std::snprintf(label, sizeof label, "Argon2id unlock %u MiB, %u passes: %s", memory_kib / 1024,
                    passes, p.what);
    }
    Row row{p.id, label, "unlocks/s", 0, {}};
    row.impls.push_back({"medseal", [=] { medseal_key(); }});
    row.impls.push_back({"libsodium", sodium_key});
    rows.push_back(std::move(row));
  }
}

int main(int argc, char** argv) {
  if (argc == 5 &&
      (std::string(argv[1]) == "--age-encrypt" || std::string(argv[1]) == "--age-decrypt")) {
    if (sodium_init() < 0) Die("sodium_init failed");
    return AgeFileMode(argv[1], argv[2], argv[3], argv[4]);
  }
  int reps = 9;
  bool quick = false;
  double sample_ms = 100;
  std::string json_path;
  std::vector<std::string> only;  // empty: every row
  std::string source_dir = MEDSEAL_BENCH_SOURCE_DIR;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--reps" && i + 1 < argc) {
      reps = std::atoi(argv[++i]);
    } else if (a == "--sample-ms" && i + 1 < argc) {
      sample_ms = std::atof(argv[++i]);
    } else if (a == "--json" && i + 1 < argc) {
      json_path = argv[++i];
    } else if (a == "--only" && i + 1 < argc) {
      std::stringstream list(argv[++i]);
      for (std::string id; std::getline(list, id, ',');) only.push_back(id);
    } else if (a == "--source-dir" && i + 1 < argc) {
      source_dir = argv[++i];
    } else if (a == "--quick") {
      quick = true;  // no 1 GiB rows
    } else {
      std::fprintf(
          stderr,
          "usage: %s [--reps N] [--sample-ms MS] [--only ID,ID] [--json PATH] "
          "[--source-dir REPO] [--quick]\n"
          "       %s --age-encrypt RECIPIENT IN OUT | --age-decrypt IDENTITY_FILE IN OUT\n",
          argv[0], argv[0]);
      return 2;
    }
  }
  auto want = [&](const std::string& id) {
    return only.empty() || std::find(only.begin(), only.end(), id) != only.end();
  };
  if (reps < 1 || sample_ms <= 0) Die("bad --reps or --sample-ms");
  if (sodium_init() < 0) Die("sodium_init failed");
  std::string load_before = ReadFirstLine("/proc/loadavg", nullptr);

  // Identities: sender and five recipients from fixed seeds.
  auto seed_of = [](uint8_t tag) {
    Bytes s(32);
    for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(tag * 31 + i);
    return s;
  };
  auto make_identity = [&](uint8_t tag, const char* name) {
    Bytes s = seed_of(tag);
    return Must(medseal::Identity::FromSeed(medseal::SecretBytes::CopyFrom(s), name, "clinician",
                                            1700000000000),
                "identity");
  };
  medseal::Identity sender = make_identity(1, "Sender");
  RawIdentity raw_sender = DeriveRaw(seed_of(1));
  if (raw_sender.key_id != sender.key_id()) Die("raw key derivation differs from core");
  std::vector<medseal::Identity> recipients;
  std::vector<RawIdentity> raw_recipients;
  for (uint8_t i = 0; i < 5; ++i) {
    recipients.push_back(make_identity(static_cast<uint8_t>(10 + i), "Recipient"));
    raw_recipients.push_back(DeriveRaw(seed_of(static_cast<uint8_t>(10 + i))));
  }

  Bytes body(2048);
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<uint8_t>(i * 7);
  const medseal::RecordPayload payload{"application/fhir+json", "obs-0001", "Observation", body};
  RawPayload raw_payload{std::string(payload.content_type), std::string(payload.record_id),
                         std::string(payload.resource_type), 1700000000000, body};

  medseal::SodiumRng rng;
  medseal::FixedClock clock(1700000000000);

  auto cards_of = [&](size_t n) {
    std::vector<medseal::PublicCard> cards;
    for (size_t i = 0; i < n; ++i) cards.push_back(recipients[i].card());
    return cards;
  };
  auto raw_recips_of = [&](size_t n) {
    std::vector<RawRecipient> v;
    for (size_t i = 0; i < n; ++i) v.push_back({raw_recipients[i].key_id, raw_recipients[i].kx_pk});
    return v;
  };
  auto medseal_seal = [&](const std::vector<medseal::PublicCard>& cards) {
    auto sealed = Must(medseal::SealRecord(sender, cards, payload, rng, clock), "seal");
    return medseal::EncodeRecordBinary(sealed);
  };
  auto medseal_open = [&](ByteView rec) {
    auto parsed = Must(medseal::ParseRecordBinary(rec), "parse");
    return Must(medseal::OpenRecord(parsed, recipients[0], sender.card()), "open");
  };
  auto raw_open = [&](ByteView rec) {
    const RawIdentity& me = raw_recipients[0];
    return RawOpen(rec, raw_sender.key_id, raw_sender.sign_pk.data(), me.key_id, me.kx_sk,
                   me.kx_pk.data());
  };

  // Cross-check: each construction opens what the other sealed.
  std::vector<Row> rows;
  for (size_t n : {size_t{1}, size_t{5}}) {
    auto cards = cards_of(n);
    auto raws = raw_recips_of(n);
    Bytes m = medseal_seal(cards);
    Bytes r = RawSeal(raw_sender.sign_sk, raw_sender.key_id, raws, raw_payload);
    if (m.size() != r.size()) Die("record sizes differ between core and the raw construction");
    if (raw_open(m).body != body) Die("raw open of a core record");
    const medseal::OpenedPayload opened = medseal_open(r);
    if (!std::equal(opened.body().begin(), opened.body().end(), body.begin(), body.end())) {
      Die("core open of a raw record");
    }

    std::string sn = std::to_string(n);
    std::string suffix = n == 1 ? " recipient" : " recipients";
    Row seal{"seal-" + sn, "seal 2 KiB -> " + sn + suffix, "ops/s", 0, {}};
    seal.impls.push_back({"medseal", [=, &medseal_seal] { medseal_seal(cards); }});
    seal.impls.push_back({"libsodium", [=, &raw_sender, &raw_payload] {
                            RawSeal(raw_sender.sign_sk, raw_sender.key_id, raws, raw_payload);
                          }});
    rows.push_back(std::move(seal));
    Row open{"open-" + sn, "open 2 KiB (" + sn + suffix + ")", "ops/s", 0, {}};
    open.impls.push_back({"medseal", [=, &medseal_open] { medseal_open(m); }});
    open.impls.push_back({"libsodium", [=, &raw_open] { raw_open(r); }});
    rows.push_back(std::move(open));
  }

  // Raw AEAD rows.
  Bytes key(32), nonce(24), aad(16);
  randombytes_buf(key.data(), key.size());
  randombytes_buf(nonce.data(), nonce.size());
  randombytes_buf(aad.data(), aad.size());
  for (auto [id, label, size] :
       {std::tuple{"aead-64", "XChaCha20-Poly1305 enc+dec 64 B (info)", 64},
        std::tuple{"aead-1k", "XChaCha20-Poly1305 enc+dec 1 KiB", 1024},
        std::tuple{"aead-64k", "XChaCha20-Poly1305 enc+dec 64 KiB", 65536},
        std::tuple{"aead-1m", "XChaCha20-Poly1305 enc+dec 1 MiB", 1 << 20}}) {
    auto msg = std::make_shared<Bytes>(static_cast<size_t>(size));
    randombytes_buf(msg->data(), msg->size());
    auto ct = std::make_shared<Bytes>(msg->size() + 16);
    auto pt = std::make_shared<Bytes>(msg->size());
    Row row{id, label, "MB/s", static_cast<double>(size), {}};
    // medseal: primitives.h's in-place API into reused buffers (what
    // SealRecord/OpenRecord use); medseal-alloc: its Result<Bytes> API, which
    // allocates the output on every call.
    row.impls.push_back(
        {"medseal", [=] {
           if (!medseal::XChaCha20Poly1305Seal(key, nonce, aad, *msg, ct->data()).ok() ||
               !medseal::XChaCha20Poly1305Open(key, nonce, aad, *ct, pt->data()).ok()) {
             Die("aead (core)");
           }
         }});
    row.impls.push_back(
        {"medseal-alloc", [=] {
           Bytes c = Must(medseal::XChaCha20Poly1305Seal(key, nonce, aad, *msg), "aead seal");
           Bytes p = Must(medseal::XChaCha20Poly1305Open(key, nonce, aad, c), "aead open");
           if (p.size() != msg->size()) Die("aead size");
         }});
    row.impls.push_back({"libsodium", [=] {
                           crypto_aead_xchacha20poly1305_ietf_encrypt(
                               ct->data(), nullptr, msg->data(), msg->size(), aad.data(),
                               aad.size(), nullptr, nonce.data(), key.data());
                           if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                                   pt->data(), nullptr, nullptr, ct->data(), ct->size(), aad.data(),
                                   aad.size(), nonce.data(), key.data()) != 0) {
                             Die("aead open");
                           }
                         }});
    rows.push_back(std::move(row));
  }

  // The post-quantum KEM rows (pq-*): ML-KEM-768 against PQClean's C code
  // called directly (what core wraps: the difference is core's FIPS 203
  // key checks, SecretBytes and the Rng), X-Wing on its own (no native peer).
  if (want("pq-mlkem-encaps") || want("pq-mlkem-decaps") || want("pq-xwing-encaps") ||
      want("pq-xwing-decaps")) {
    AddPqKemRows(rows, rng);
  }

  if (want("age-enc-64k") || want("age-dec-64k") || want("age-enc-16m") || want("age-dec-16m") ||
      want("age-enc-1g") || want("age-dec-1g")) {
    AddAgeRows(rows, quick);
  }

  AddArgon2Rows(rows, quick, want);

  std::string checks_json;  // what the consent rows checked, for the JSON (","-led items)
  // The hybrid record rows (pq-seal-N, pq-open-N): a v2 record of the same
  // 2 KiB body to the recipients' post-quantum cards (X-Wing stanzas,
  // "medseal") and to the same people's classic cards (X25519 stanzas,
  // "medseal-x25519"), with the same purpose.
  if (want("pq-seal-1") || want("pq-open-1") || want("pq-seal-5") || want("pq-open-5")) {
    auto pq_recipients = std::make_shared<std::vector<medseal::Identity>>();
    for (uint8_t i = 0; i < 5; ++i) {
      Bytes s = seed_of(static_cast<uint8_t>(10 + i));
      pq_recipients->push_back(Must(
          medseal::Identity::FromSeed(medseal::SecretBytes::CopyFrom(s), "Recipient", "clinician",
                                      1700000000000, medseal::CardKeys::kPostQuantum),
          "post-quantum identity"));
    }
    const medseal::RecordPurpose purpose{"http://terminology.hl7.org/CodeSystem/v3-ActReason",
                                         "TREAT"};
    const medseal::RecordContext context{{purpose}, {}};
    auto seal_v2 = [&sender, &payload, context, &rng,
                    &clock](const std::vector<const medseal::PublicCard*>& cards) {
      auto sealed = Must(medseal::SealRecordV2(sender, cards, {}, payload, context, rng, clock),
                         "seal v2");
      return medseal::EncodeRecordBinary(sealed);
    };
    auto open_v2 = [&sender, purpose](const medseal::Identity& me, ByteView rec) {
      auto parsed = Must(medseal::ParseRecordBinary(rec), "parse v2");
      return Must(medseal::OpenRecord(parsed, me, sender.card(), purpose), "open v2");
    };
    // A core without the X-Wing stanza seals an X25519 stanza to a post-quantum
    // card: the rows are then left out (checks say why), unless --only named
    // them.
    const std::vector<const medseal::PublicCard*> probe_cards{&(*pq_recipients)[0].card()};
    const bool hybrid =
        Must(medseal::ParseRecordBinary(seal_v2(probe_cards)), "parse").recipients.front().type ==
        medseal::kStanzaXWing;
    if (!hybrid && !only.empty()) Die("pq-seal/pq-open: this core has no X-Wing record stanza");
    if (!hybrid) {
      checks_json +=
          ", \"pqRecords\": {\"notMeasured\": \"this core has no X-Wing record stanza\"}";
      std::printf(
          "native: hybrid record rows not measured: this core has no X-Wing record stanza\n");
    }
    for (size_t n : hybrid ? std::vector<size_t>{1, 5} : std::vector<size_t>{}) {
      std::vector<const medseal::PublicCard*> pq_cards, classic_cards;
      for (size_t i = 0; i < n; ++i) {
        pq_cards.push_back(&(*pq_recipients)[i].card());
        classic_cards.push_back(&recipients[i].card());
      }
      Bytes pq_rec = seal_v2(pq_cards);
      Bytes classic_rec = seal_v2(classic_cards);
      // Checks: every stanza of the hybrid record is X-Wing, none of the
      // classic one; both open to the body.
      auto pq_parsed = Must(medseal::ParseRecordBinary(pq_rec), "parse");
      auto classic_parsed = Must(medseal::ParseRecordBinary(classic_rec), "parse");
      for (const auto& st : pq_parsed.recipients) {
        if (st.type != medseal::kStanzaXWing) Die("hybrid record without an X-Wing stanza");
      }
      for (const auto& st : classic_parsed.recipients) {
        if (st.type != medseal::kStanzaX25519) Die("classic record without an X25519 stanza");
      }
      const medseal::OpenedPayload a = open_v2((*pq_recipients)[0], pq_rec);
      const medseal::OpenedPayload b = open_v2(recipients[0], classic_rec);
      if (!Same(a.body(), body) || !Same(b.body(), body)) Die("v2 open: body differs");
      checks_json += ", \"pqRecords" + std::to_string(n) +
                     "\": {\"hybridBytes\": " + std::to_string(pq_rec.size()) +
                     ", \"x25519Bytes\": " + std::to_string(classic_rec.size()) + "}";

      std::string sn = std::to_string(n);
      std::string suffix = n == 1 ? " recipient" : " recipients";
      Row seal{"pq-seal-" + sn, "hybrid seal 2 KiB -> " + sn + suffix, "ops/s", 0, {}};
      seal.baseline = "medseal-x25519";
      seal.impls.push_back({"medseal", [=] { seal_v2(pq_cards); }});
      seal.impls.push_back({"medseal-x25519", [=] { seal_v2(classic_cards); }});
      rows.push_back(std::move(seal));
      Row open{"pq-open-" + sn, "hybrid open 2 KiB (" + sn + suffix + ")", "ops/s", 0, {}};
      open.baseline = "medseal-x25519";
      open.impls.push_back({"medseal", [=] { open_v2((*pq_recipients)[0], pq_rec); }});
      open.impls.push_back(
          {"medseal-x25519", [=, &recipients] { open_v2(recipients[0], classic_rec); }});
      rows.push_back(std::move(open));
    }
  }

  // The consent rows (no baseline natively).
  const bool any_consent = want("decide-50x5") || want("receipt-sign") || want("receipt-verify") ||
                           want("label-1k") || want("share-1k-5");
  if (any_consent) {
    namespace consent = medseal::consent;
    namespace fhir = medseal::fhir;
    auto w = std::make_shared<const ConsentWorkload>(LoadWorkload(source_dir));
    const size_t n_requests = w->requests.size();
    // Shared with the rows' operations, which run after this block.
    auto patient_ptr = std::make_shared<const medseal::Identity>(make_identity(2, "Patient"));
    const medseal::Identity& patient = *patient_ptr;
    auto clock_ptr = std::make_shared<medseal::FixedClock>(w->now);
    medseal::FixedClock& consent_clock = *clock_ptr;

    if (want("decide-50x5")) {
      auto set = std::make_shared<const consent::ConsentSet>(
          Must(consent::ConsentSet::Compile(w->consents), "ConsentSet::Compile"));
      size_t permits = 0;
      for (size_t i = 0; i < n_requests; ++i) {
        consent::Decision d = Must(set->Evaluate(w->requests[i], w->now), "Evaluate");
        const bool permit = d.effect == consent::Effect::kPermit;
        if (permit != w->permit[i]) {
          Die("decide-50x5: core's decision differs from the workload's on request " +
              std::to_string(i));
        }
        permits += permit ? 1 : 0;
      }
      std::printf("decide-50x5: core gives all %zu requests their expected decision (%zu permit)\n",
                  n_requests, permits);
      checks_json += ", \"decide\": {\"requests\": " + std::to_string(n_requests) +
                     ", \"permits\": " + std::to_string(permits) + "}";
      Row row{"decide-50x5", "consent decisions, 50 consents x 5 provisions", "decisions/s", 0, {}};
      row.baseline = "";
      auto next = std::make_shared<size_t>(0);
      row.impls.push_back({"medseal", [w, set, next, n_requests] {
                             const size_t i = *next;
                             *next = (i + 1) % n_requests;
                             auto d = set->Evaluate(w->requests[i], w->now);
                             if (!d.ok() ||
                                 (d->effect == consent::Effect::kPermit) != w->permit[i]) {
                               Die("decide-50x5: a decision changed");
                             }
                           }});
      rows.push_back(std::move(row));
    }

    if (want("receipt-sign") || want("receipt-verify")) {
      const medseal::Json& resource = w->resources.front();
      auto receipt = std::make_shared<const consent::SignedConsent>(Must(
          consent::SignConsent(patient, resource, fhir::FhirVersion::kR4, consent_clock), "sign"));
      auto card = std::make_shared<const medseal::PublicCard>(patient.card());
      if (!consent::VerifyReceipt(*receipt, *card).ok()) Die("receipt: does not verify");
      Row sign{"receipt-sign", "consent receipt: sign", "ops/s", 0, {}};
      sign.baseline = "";
      sign.impls.push_back(
          {"medseal", [patient_ptr, clock_ptr, resource] {
             Must(consent::SignConsent(*patient_ptr, resource, fhir::FhirVersion::kR4, *clock_ptr),
                  "sign");
           }});
      rows.push_back(std::move(sign));
      Row verify{"receipt-verify", "consent receipt: verify", "ops/s", 0, {}};
      verify.baseline = "";
      verify.impls.push_back({"medseal", [receipt, card] {
                                if (!consent::VerifyReceipt(*receipt, *card).ok()) Die("verify");
                              }});
      rows.push_back(std::move(verify));
    }

    if (want("label-1k") || want("share-1k-5")) {
      auto bundle = std::make_shared<const medseal::Json>(SyntheaBundle(source_dir, 1000));
      if (want("label-1k")) {
        auto labels = Must(fhir::Labeler::Shipped().LabelAll(*bundle), "LabelAll");
        size_t sensitive = 0;
        for (const fhir::LabelResult& r : labels) sensitive += r.labels.empty() ? 0 : 1;
        if (labels.size() != 1000) Die("label-1k: not 1000 results");
        std::printf("label-1k: %zu of 1000 resources carry a sensitivity label\n", sensitive);
        checks_json +=
            ", \"label\": {\"resources\": 1000, \"labeled\": " + std::to_string(sensitive) + "}";
        Row row{"label-1k", "label a 1,000-resource Synthea Bundle", "bundles/s", 0, {}};
        row.baseline = "";
        row.impls.push_back({"medseal", [bundle] {
                               auto r = fhir::Labeler::Shipped().LabelAll(*bundle);
                               if (!r.ok() || r->size() != 1000) Die("label-1k");
                             }});
        rows.push_back(std::move(row));
      }
      if (want("share-1k-5")) {
        // The patient shares their own records: the 50 consents signed by
        // the patient, 5 candidates of the workload (their references and
        // roles as in its requests), purpose TREAT.
        auto signed_consents = std::make_shared<std::vector<consent::SignedConsent>>();
        for (const medseal::Json& c : w->resources) {
          signed_consents->push_back(Must(
              consent::SignConsent(patient, c, fhir::FhirVersion::kR4, consent_clock), "sign"));
        }
        struct Who {
          const char* practitioner;
          const char* org;
          const char* role;
        };
        const Who who[] = {{"pr01", "org-general-hospital", "PRCP"},
                           {"pr02", "org-city-clinic", "PRCP"},
                           {"pr03", "org-general-hospital", "IRCP"},
                           {"ps01", "org-behavioral-health", "PRCP"},
                           {"rs01", "org-research-institute", "IRCP"}};
        auto holders = std::make_shared<std::vector<medseal::Identity>>();
        auto cards = std::make_shared<std::vector<medseal::PublicCard>>();
        for (uint8_t i = 0; i < 5; ++i)
          holders->push_back(make_identity(20 + i, who[i].practitioner));
        for (const medseal::Identity& h : *holders) cards->push_back(h.card());
        auto candidates = std::make_shared<std::vector<consent::ShareCandidate>>();
        for (size_t i = 0; i < 5; ++i) {
          consent::ShareCandidate c;
          c.card = &(*cards)[i];
          c.actor.references = {{std::string("Practitioner/") + who[i].practitioner, {}, ""},
                                {std::string("Organization/") + who[i].org, {}, ""}};
          c.actor.roles = {{std::string(fhir::kParticipationTypeSystem), who[i].role, ""}};
          candidates->push_back(std::move(c));
        }
        auto options = std::make_shared<consent::ShareOptions>();
        options->purpose = {std::string(fhir::kActReasonSystem), "TREAT", ""};
        auto share = [patient_ptr, &rng, clock_ptr, bundle, signed_consents, candidates, options,
                      cards, holders] {
          return consent::ShareJson(*patient_ptr, *bundle, *signed_consents, *candidates, *options,
                                    rng, *clock_ptr);
        };
        consent::ShareResult first = Must(share(), "Share");
        size_t sealed = 0, stanzas = 0;
        for (const consent::SharedResource& r : first.resources) {
          sealed += r.record ? 1 : 0;
          stanzas += r.recipients.size();
        }
        if (first.resources.size() != 1000) Die("share-1k-5: not 1000 resources");
        std::printf(
            "share-1k-5: %zu of 1000 resources sealed (%zu recipient stanzas), %zu withheld\n",
            sealed, stanzas, first.withheld.size());
        checks_json += ", \"share\": {\"resources\": 1000, \"sealed\": " + std::to_string(sealed) +
                       ", \"stanzas\": " + std::to_string(stanzas) +
                       ", \"withheld\": " + std::to_string(first.withheld.size()) + "}";
        Row row{"share-1k-5", "Share the Bundle to 5 candidates", "bundles/s", 0, {}};
        row.baseline = "";
        row.impls.push_back({"medseal", [share] {
                               auto r = share();
                               if (!r.ok() || r->resources.size() != 1000) Die("share-1k-5");
                             }});
        rows.push_back(std::move(row));
      }
    }
  }

  std::printf(
      "native: %d repetitions x ~%.0f ms per sample, implementations interleaved (order "
      "reversed every other repetition), medians; ratio = median of per-repetition ratios\n",
      reps, sample_ms);
  std::printf("%-44s %11s %10s %10s %14s %8s\n", "row", "unit", "medseal", "baseline",
              "medseal-alloc", "ratio");
  rows.erase(std::remove_if(rows.begin(), rows.end(), [&](const Row& r) { return !want(r.id); }),
             rows.end());
  for (Row& row : rows) {
    RunRow(row, reps, sample_ms / 1000);
    double a = Median(Find(row, "medseal").samples);
    std::string b = "-", alloc = "-", ratio = "-";
    char buf[32];
    if (!row.baseline.empty()) {
      std::snprintf(buf, sizeof buf, "%.1f", Median(Find(row, row.baseline).samples));
      b = buf;
      std::snprintf(buf, sizeof buf, "%.2fx", PairedRatio(row));
      ratio = buf;
    }
    for (const Impl& impl : row.impls) {
      if (impl.name == "medseal-alloc") {
        std::snprintf(buf, sizeof buf, "%.1f", Median(impl.samples));
        alloc = buf;
      }
    }
    std::printf("%-44s %11s %10.1f %10s %14s %8s\n", row.label.c_str(), row.unit.c_str(), a,
                b.c_str(), alloc.c_str(), ratio.c_str());
    std::fflush(stdout);
  }
  std::string load_after = ReadFirstLine("/proc/loadavg", nullptr);
  std::printf("load average before: %s; after: %s\n", load_before.c_str(), load_after.c_str());

  if (!json_path.empty()) {
    struct utsname u {};
    uname(&u);
    std::ostringstream j;
    j << "{\n  \"environment\": \"native\",\n";
    j << "  \"machine\": {\"cpu\": \"" << JsonEscape(ReadFirstLine("/proc/cpuinfo", "model name"))
      << "\", \"cores\": " << sysconf(_SC_NPROCESSORS_ONLN) << ", \"kernel\": \""
      << JsonEscape(u.release) << "\", \"loadavgBefore\": \"" << JsonEscape(load_before)
      << "\", \"loadavgAfter\": \"" << JsonEscape(load_after) << "\"},\n";
    j << "  \"build\": {\"type\": \"" << MEDSEAL_BENCH_BUILD_TYPE << "\", \"compiler\": \""
      << JsonEscape(kCompiler) << "\", \"libsodium\": \"" << sodium_version_string() << "\"},\n";
    std::string only_json = "null";
    if (!only.empty()) {
      only_json = "[";
      for (size_t k = 0; k < only.size(); ++k) {
        only_json += (k ? ", \"" : "\"") + JsonEscape(only[k]) + "\"";
      }
      only_json += "]";
    }
    j << "  \"method\": {\"reps\": " << reps << ", \"only\": " << only_json
      << ", \"sampleMs\": " << Num(sample_ms)
      << ", \"interleaved\": true, \"order\": \"reversed every other repetition\", "
         "\"statistic\": \"median\", \"ratio\": \"median of per-repetition ratios\"},\n";
    j << "  \"checks\": {" << (checks_json.empty() ? "" : checks_json.substr(2)) << "},\n";
    j << "  \"rows\": [\n";
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& row = rows[i];
      j << "    {\"id\": \"" << row.id << "\", \"label\": \"" << JsonEscape(row.label)
        << "\", \"unit\": \"" << row.unit << "\", \"results\": {";
      for (size_t k = 0; k < row.impls.size(); ++k) {
        const Impl& impl = row.impls[k];
        auto [mn, mx] = std::minmax_element(impl.samples.begin(), impl.samples.end());
        j << (k ? ", " : "") << "\"" << impl.name
          << "\": {\"median\": " << Num(Median(impl.samples)) << ", \"min\": " << Num(*mn)
          << ", \"max\": " << Num(*mx) << ", \"iterations\": " << impl.iters << ", \"samples\": [";
        for (size_t s = 0; s < impl.samples.size(); ++s)
          j << (s ? ", " : "") << Num(impl.samples[s]);
        j << "]}";
      }
      if (row.baseline.empty()) {
        j << "}, \"baseline\": null, \"ratio\": null, \"ratioOfMedians\": null}";
      } else {
        j << "}, \"baseline\": \"" << row.baseline << "\", \"ratio\": " << Num(PairedRatio(row))
          << ", \"ratioOfMedians\": "
          << Num(Median(Find(row, "medseal").samples) / Median(Find(row, row.baseline).samples))
          << "}";
      }
      j << (i + 1 < rows.size() ? "," : "") << "\n";
    }
    j << "  ]\n}\n";
    std::ofstream out(json_path);
    if (!out) Die("cannot write " + json_path);
    out << j.str();
    std::printf("wrote %s\n", json_path.c_str());
  }
  return 0;
}
