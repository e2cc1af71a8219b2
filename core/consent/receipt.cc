// SPDX-License-Identifier: Apache-2.0
#include "core/consent/receipt.h"

#include <optional>
#include <utility>
#include <vector>

#include "core/codec/base64url.h"
#include "core/codec/jcs.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"

namespace medseal::consent {
namespace {

constexpr int64_t kReceiptVersion = 1;

Bytes Label(std::string_view label) {
  Bytes b(label.begin(), label.end());
  b.push_back(0);
  return b;
}

// The envelope without "sig" (spec §2), from fields already checked.
Json UnsignedEnvelope(const SignedConsent& r) {
  Json j = Json::object();
  j["type"] = std::string(kReceiptType);
  j["v"] = kReceiptVersion;
  j["fhirVersion"] = std::string(FhirVersionCode(r.fhir_version));
  j["consent"] = r.resource;
  j["signer"] = Base64UrlEncode(r.signer_key_id);
  j["signed"] = r.signed_at;
  return j;
}

// What ToJson and SignedBytes need of a receipt built in code.
Status CheckFields(const SignedConsent& r) {
  if (r.fhir_version != fhir::FhirVersion::kR4 && r.fhir_version != fhir::FhirVersion::kR5) {
    return Error(ErrorCode::kInvalidArgument, "receipt: unknown FHIR version");
  }
  if (!r.resource.is_object())
    return Error(ErrorCode::kInvalidArgument, "receipt: consent is not an object");
  if (r.signer_key_id.size() != kKeyIdSize) {
    return Error(ErrorCode::kInvalidArgument, "receipt: signer key id is not 16 bytes");
  }
  if (r.signed_at < 0 || r.signed_at > kMaxUnixMillis) {
    return Error(ErrorCode::kInvalidArgument, "receipt: signing time out of range");
  }
  return Status::Ok();
}

// --- Kantara export -----------------------------------------------------

std::string CodingText(const fhir::Coding& c) {
  if (!c.display.empty()) return c.display;
  return c.code;
}

std::string CodingId(const fhir::Coding& c) {
  return c.system.empty() ? c.code : c.system + "|" + c.code;
}

std::string ReferenceText(const fhir::Reference& r) {
  if (!r.display.empty()) return r.display;
  if (!r.reference.empty()) return r.reference;
  if (r.identifier) return r.identifier->value;
  return "";
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

// Confidentiality codes that do not mark data as sensitive (v3
// Confidentiality U, L, M, N); every other security label a permit names
// is a special category (spec §7).
bool IsLowConfidentiality(const fhir::Coding& c) {
  return c.system == fhir::kConfidentialitySystem &&
         (c.code == "U" || c.code == "L" || c.code == "M" || c.code == "N");
}

bool HasCriteria(const fhir::Provision& p) {
  return p.period || !p.actor.empty() || !p.action.empty() || !p.security_label.empty() ||
         !p.purpose.empty() || !p.klass.empty() || !p.code.empty() || p.data_period ||
         !p.data.empty();
}

struct KantaraBuilder {
  Json purposes = Json::array();
  std::vector<std::string> spi;  // sensitive categories, in first-seen order

  void AddSpi(const std::string& code) {
    for (const auto& s : spi) {
      if (s == code) return;
    }
    spi.push_back(code);
  }

  // Visits `p` (at `depth`, root = 1) with `end` the nearest period end
  // above it (its own first). Recursive over the provision tree, which the
  // JSON depth limit bounds.
  void Visit(const fhir::Provision& p, int depth,  // NOLINT(misc-no-recursion)
             std::optional<fhir::DateTime> end) {
    if (p.period && p.period->end) end = p.period->end;
    if (p.type == fhir::ProvisionType::kPermit && (HasCriteria(p) || p.provision.empty())) {
      Json entry = Json::object();
      std::vector<std::string> purpose_text;
      Json purpose_category = Json::array();
      for (const auto& c : p.purpose) {
        purpose_text.push_back(CodingText(c));
        purpose_category.push_back(CodingId(c));
      }
      entry["purpose"] = purpose_text.empty() ? std::string("any purpose") : Join(purpose_text);
      entry["purposeCategory"] = std::move(purpose_category);
      entry["consentType"] = "EXPLICIT";
      Json pii = Json::array();
      for (const auto& c : p.klass) pii.push_back(CodingId(c));
      for (const auto& cc : p.code) {
        for (const auto& c : cc.coding) pii.push_back(CodingId(c));
      }
      for (const auto& c : p.security_label) {
        pii.push_back(CodingId(c));
        if (!IsLowConfidentiality(c)) AddSpi(c.code);
      }
      entry["piiCategory"] = std::move(pii);
      entry["primaryPurpose"] = depth <= 2;
      entry["termination"] = end ? end->text : std::string("until withdrawn");
      std::vector<std::string> names;
      for (const auto& a : p.actor) {
        if (a.reference) names.push_back(ReferenceText(*a.reference));
      }
      entry["thirdPartyDisclosure"] = !p.actor.empty();
      entry["thirdPartyName"] = Join(names);
      purposes.push_back(std::move(entry));
    }
    for (const auto& child : p.provision) Visit(child, depth + 1, end);
  }
};

}  // namespace

std::string_view FhirVersionCode(fhir::FhirVersion version) {
  return version == fhir::FhirVersion::kR5 ? "5.0.0" : "4.0.1";
}

Status CheckReceiptConsent(const Json& resource, fhir::FhirVersion version) {
  if (!resource.is_object())
    return Error(ErrorCode::kMalformed, "receipt: consent is not an object");  // R7
  auto rt = resource.find("resourceType");
  if (rt == resource.end() || !rt->is_string() || rt->get_ref<const std::string&>() != "Consent") {
    return Error(ErrorCode::kMalformed, "receipt: resourceType is not \"Consent\"");  // R8
  }
  MEDSEAL_ASSIGN_OR_RETURN(std::string jcs, CanonicalizeJson(resource));
  if (jcs.size() > fhir::kMaxConsentJsonBytes) {
    return Error(ErrorCode::kTooLarge, "receipt: consent too large");  // R9
  }
  // R10: the FHIR model's rules (docs/spec/fhir-consent.md), its codes.
  auto model = fhir::ParseConsentJson(resource, version);
  if (!model.ok()) return model.status();
  return Status::Ok();
}

Result<Bytes> SignedConsent::SignedBytes() const {
  MEDSEAL_RETURN_IF_ERROR(CheckFields(*this));
  MEDSEAL_ASSIGN_OR_RETURN(std::string jcs, CanonicalizeJson(UnsignedEnvelope(*this)));
  Bytes out = Label(kReceiptSignatureLabel);
  out.insert(out.end(), jcs.begin(), jcs.end());
  return out;
}

Result<std::string> SignedConsent::ToJson() const {
  MEDSEAL_RETURN_IF_ERROR(CheckFields(*this));
  if (signature.size() != kEd25519SignatureSize) {
    return Error(ErrorCode::kInvalidArgument, "receipt: signature is not 64 bytes");
  }
  Json j = UnsignedEnvelope(*this);
  j["sig"] = Base64UrlEncode(signature);
  return CanonicalizeJson(j);
}

Result<fhir::ParsedConsent> SignedConsent::Model() const {
  return fhir::ParseConsentJson(resource, fhir_version);
}

Result<SignedConsent> SignConsent(const Identity& patient, const Json& resource,
                                  fhir::FhirVersion version, Clock& clock) {
  SignedConsent r;
  r.fhir_version = version;
  r.resource = resource;
  r.signer_key_id = patient.key_id();
  r.signed_at = clock.Now();
  r.signature.assign(kEd25519SignatureSize, 0);
  if (version != fhir::FhirVersion::kR4 && version != fhir::FhirVersion::kR5) {
    return Error(ErrorCode::kInvalidArgument, "receipt: unknown FHIR version");
  }
  if (r.signed_at < 0 || r.signed_at > kMaxUnixMillis) {
    return Error(ErrorCode::kInvalidArgument, "receipt: clock out of range");
  }
  if (!resource.is_object())
    return Error(ErrorCode::kMalformed, "receipt: consent is not an object");
  // Every rule a reader applies, on the receipt as it will be written
  // (a placeholder signature: the rules only check its size).
  MEDSEAL_ASSIGN_OR_RETURN(std::string json, r.ToJson());
  MEDSEAL_ASSIGN_OR_RETURN(SignedConsent checked, ParseReceipt(json));
  MEDSEAL_ASSIGN_OR_RETURN(Bytes signed_bytes, checked.SignedBytes());
  checked.signature = patient.Sign(signed_bytes);
  return checked;
}

Result<SignedConsent> SignConsentJson(const Identity& patient, std::string_view consent_json,
                                      fhir::FhirVersion version, Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(Json resource, ParseJsonValue(consent_json, fhir::kMaxConsentJsonBytes));
  return SignConsent(patient, resource, version, clock);
}

Result<SignedConsent> ParseReceipt(std::string_view json) {
  // G1-G7 (depth limit 17, so that the Consent may use 16), G8.
  MEDSEAL_ASSIGN_OR_RETURN(Json j,
                           ParseJsonValue(json, kMaxReceiptJsonBytes, kMaxReceiptJsonDepth));
  if (!j.is_object()) return Error(ErrorCode::kMalformed, "receipt: top level is not an object");
  MEDSEAL_RETURN_IF_ERROR(ExpectTypeAndVersion(j, kReceiptType, kReceiptVersion));  // R1-R3
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(
      j, {"type", "v", "fhirVersion", "consent", "signer", "signed", "sig"}));  // R4
  SignedConsent r;
  MEDSEAL_ASSIGN_OR_RETURN(std::string version, GetString(j, "fhirVersion"));  // R5
  if (version == "4.0.1") {
    r.fhir_version = fhir::FhirVersion::kR4;
  } else if (version == "5.0.0") {
    r.fhir_version = fhir::FhirVersion::kR5;
  } else {
    return Error(ErrorCode::kUnsupportedVersion, "receipt: unsupported fhirVersion");  // R6
  }
  Json& consent = j["consent"];
  MEDSEAL_RETURN_IF_ERROR(CheckReceiptConsent(consent, r.fhir_version));          // R7-R10
  MEDSEAL_ASSIGN_OR_RETURN(r.signer_key_id, GetBase64(j, "signer", kKeyIdSize));  // R11-R13
  auto signed_at = GetInt(j, "signed");                                           // R14
  if (!signed_at.ok() || *signed_at < 0) {
    return Error(ErrorCode::kMalformed, "receipt: \"signed\" is not a time");
  }
  r.signed_at = *signed_at;
  MEDSEAL_ASSIGN_OR_RETURN(r.signature, GetBase64(j, "sig", kEd25519SignatureSize));  // R15-R17
  r.resource = std::move(consent);
  return r;
}

Status VerifyReceipt(const SignedConsent& receipt, const PublicCard& patient) {
  if (receipt.signer_key_id != patient.key_id()) {
    return Error(ErrorCode::kSenderMismatch, "receipt: signed by another key");  // V1
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes signed_bytes, receipt.SignedBytes());
  return Ed25519Verify(patient.sign_public_key(), signed_bytes, receipt.signature);  // V2
}

Result<Bytes> ConsentHash(const SignedConsent& receipt) {
  MEDSEAL_ASSIGN_OR_RETURN(std::string json, receipt.ToJson());
  const Bytes label = Label(kConsentHashLabel);
  return Blake2bConcat(kConsentHashSize, {label, AsBytes(json)});
}

Result<Json> ExportKantaraReceipt(const SignedConsent& receipt) {
  MEDSEAL_ASSIGN_OR_RETURN(Bytes hash, ConsentHash(receipt));
  MEDSEAL_ASSIGN_OR_RETURN(fhir::ParsedConsent parsed, receipt.Model());
  const fhir::Consent& c = parsed.consent;
  Json k = Json::object();
  k["version"] = std::string(kKantaraVersion);
  k["consentReceiptID"] = Base64UrlEncode(hash);
  // The first policy's authority (R4 policy.authority; R5 has none), else
  // empty: FHIR's Consent names no jurisdiction.
  std::string jurisdiction;
  for (const auto& p : c.policy) {
    if (jurisdiction.empty()) jurisdiction = p.authority;
  }
  k["jurisdiction"] = jurisdiction;
  // Seconds (Kantara's NumericDate): the Consent's own date, else signing.
  const UnixMillis when = c.date_time ? c.date_time->lo : receipt.signed_at;
  k["consentTimestamp"] = when / 1000;
  k["collectionMethod"] = "FHIR Consent signed by the patient (medseal consent receipt)";
  k["publicKey"] = Base64UrlEncode(receipt.signer_key_id);
  k["piiPrincipalId"] = c.patient ? ReferenceText(*c.patient)
                                  : Base64UrlEncode(receipt.signer_key_id);
  Json controllers = Json::array();
  for (const auto& org : c.organization) {
    Json ctl = Json::object();
    ctl["piiController"] = ReferenceText(org);
    ctl["onBehalf"] = false;
    controllers.push_back(std::move(ctl));
  }
  k["piiControllers"] = std::move(controllers);
  std::string policy_url;
  for (const auto& p : c.policy) {
    if (policy_url.empty()) policy_url = p.uri;
  }
  k["policyUrl"] = policy_url;
  KantaraBuilder b;
  std::optional<fhir::DateTime> end;
  if (c.period && c.period->end) end = c.period->end;
  // Decision 1: a consent's base stands above its root as a rule without
  // criteria and with one child (as in R5), which names no purpose entry of
  // its own (it has criteria-less children); the root is then at depth 2.
  if (c.provision) b.Visit(*c.provision, c.base ? 2 : 1, end);
  std::vector<std::string> service;
  for (const auto& cc : c.category) {
    for (const auto& coding : cc.coding) service.push_back(CodingText(coding));
    if (cc.coding.empty()) service.push_back(cc.text);
  }
  Json svc = Json::object();
  svc["service"] = service.empty() ? std::string("FHIR Consent") : Join(service);
  svc["purposes"] = std::move(b.purposes);
  k["services"] = Json::array({std::move(svc)});
  k["sensitive"] = !b.spi.empty();
  Json spi = Json::array();
  for (auto& s : b.spi) spi.push_back(std::move(s));
  k["spiCat"] = std::move(spi);
  k["status"] = c.status;
  return k;
}

}  // namespace medseal::consent
