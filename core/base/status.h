// SPDX-License-Identifier: Apache-2.0
// Error model: Status and Result<T>. No exceptions anywhere in core.
// The numeric values of ErrorCode are stable, never reused, and documented
// in docs/errors.md. Messages are for developers only and never contain key,
// plaintext or patient bytes.
#ifndef MEDSEAL_CORE_BASE_STATUS_H_
#define MEDSEAL_CORE_BASE_STATUS_H_

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace medseal {

enum class ErrorCode : uint16_t {
  kOk = 0,
  kInvalidArgument = 1,        // caller passed something unusable (wrong size, empty list)
  kMalformed = 2,              // input does not follow the format's grammar
  kUnsupportedVersion = 3,     // well-formed, but a version/type this build does not know
  kTrailingData = 4,           // valid object followed by extra bytes
  kDuplicateRecipient = 5,     // the same recipient key id appears twice
  kNonCanonical = 6,           // a second encoding of a valid value (order, base64, padding)
  kTooLarge = 7,               // a field or the whole input exceeds its documented limit
  kTruncated = 8,              // input ends before the structure does
  kNoMatchingRecipient = 9,    // none of the recipient stanzas is for this key
  kDecryptFailed = 10,         // authentication failed (wrong key or tampered ciphertext)
  kSignatureInvalid = 11,      // signature does not verify
  kSenderMismatch = 12,        // the sender key id does not match the given card
  kKeyIdMismatch = 13,         // a card's key id is not the one derived from its keys
  kWeakKey = 14,               // X25519 produced an all-zero shared secret
  kDisposed = 15,              // JS only: a key object was used after dispose()
  kDetachedBuffer = 16,        // JS only: an ArrayBuffer view was detached
  kInternal = 17,              // a bug or an exhausted resource; never caused by data
  kPurposeMismatch = 18,       // a v2 record's header does not carry the stated purpose
  kUnknownCode = 19,           // a code the shipped terminology lacks, where one is required
  kTooDeep = 20,               // nesting deeper than a documented limit
  kKeyErased = 21,             // the key needed was destroyed (crypto-shredding)
  kNotPermitted = 22,          // the patient's consents do not permit the operation
  kConsentInactive = 23,       // the consent is not active where an active one is required
  kHeaderMacMismatch = 24,     // an age header parsed and a file key unwrapped, but its MAC differs
  kArmorMalformed = 25,        // the ASCII armor around an age file does not follow its grammar
  kUnsupportedRecipient = 26,  // a recipient type this build does not implement (age plugin/tag)
  kInvalidKey = 27,        // a key fails its type's validity check (ML-KEM FIPS 203 §7.2/§7.3)
  kProofInvalid = 28,      // a Merkle inclusion or consistency proof does not verify
  kLogFork = 29,           // two views of the log that cannot both be true
  kLogTruncated = 30,      // the log is smaller than a size already seen or proved
  kLogEntryModified = 31,  // a logged entry's bytes differ from the ones logged
  kLogEntryMissing = 32,   // an entry that must be in the log is not
  kLogReordered = 33,      // entries appear in an order other than the one they were logged in
  kWitnessQuorum = 34,   // a checkpoint lacks the witness cosignatures the client's policy requires
  kReasonRequired = 35,  // an operation that needs a stated reason was given none
  kUnexpectedCard = 36,  // the key directory holds a card in a watched name or role that its owner
                         // did not publish
  kKeyRevoked = 37,      // the key was revoked in the log
  kWrongPassphrase = 38,      // the passphrase does not open the keystore
  kWrongSecondFactor = 39,    // the passkey (its PRF output) does not match the passkey slot
  kWrongRecoveryKey = 40,     // a well-formed recovery key that does not open the keystore
  kRecoveryKeyChecksum = 41,  // a recovery key with a typing error (a group check or the checksum)
  kKeystoreCorrupted = 42,    // the keystore's master key was recovered, but its slot list or
                              // items fail authentication
  kKdfDowngraded = 43,        // Argon2id parameters below the caller's or the keystore's own floor
  kPrfMismatch = 44,          // at passkey enrolment, the two PRF evaluations differ
  kNoUnlockSlot = 45,         // the keystore has no slot that the given factors can open
  kOtpMismatch = 46,          // a one-time code matches no time step of the verification window
  kOtpReplayed = 47,          // a one-time code was already accepted (its time step is not new)
  kOtpUnsupported = 48,  // an otpauth:// type, algorithm, digit count or period this build lacks
  kOtpSecretWeak = 49,   // an OTP secret shorter than 128 bits (RFC 4226 §4 R6)
  kSafetyNumberMismatch = 50,  // a scanned safety-number QR names cards other than the ones held
  // Reserved so that every switch over ErrorCode needs a default: branch.
  kDoNotUseReservedForFutureExpansion = 0xFFFF,
};

// Stable SCREAMING_SNAKE name, e.g. "DECRYPT_FAILED". "UNKNOWN" for others.
std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  [[nodiscard]] bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

inline Status Error(ErrorCode code, std::string message) {
  return Status(code, std::move(message));
}

// Aborts on a broken precondition (a programmer bug), never on bad data.
[[noreturn]] void CheckFailed(const char* file, int line, const char* expr);
#define MEDSEAL_CHECK(expr)                                         \
  do {                                                              \
    if (!(expr)) ::medseal::CheckFailed(__FILE__, __LINE__, #expr); \
  } while (0)

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit by design: a function returning Result<T> returns a T or a Status.
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    MEDSEAL_CHECK(!status_.ok());
  }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result(Result&&) noexcept = default;
  Result& operator=(Result&&) noexcept = default;
  ~Result() = default;

  [[nodiscard]] bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & {
    MEDSEAL_CHECK(ok());
    return *value_;
  }
  const T& value() const& {
    MEDSEAL_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    MEDSEAL_CHECK(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

#define MEDSEAL_CONCAT_INNER_(a, b) a##b
#define MEDSEAL_CONCAT_(a, b) MEDSEAL_CONCAT_INNER_(a, b)

#define MEDSEAL_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::medseal::Status medseal_status_ = (expr);        \
    if (!medseal_status_.ok()) return medseal_status_; \
  } while (0)

// `tmp` is a declarator-id and `lhs` may be a declaration (`auto x`): neither
// can be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define MEDSEAL_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)

#define MEDSEAL_ASSIGN_OR_RETURN(lhs, expr) \
  MEDSEAL_ASSIGN_OR_RETURN_IMPL_(MEDSEAL_CONCAT_(medseal_result_, __LINE__), lhs, expr)

}  // namespace medseal

#endif  // MEDSEAL_CORE_BASE_STATUS_H_
