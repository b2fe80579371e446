#pragma once

// SHA-256 and HMAC-SHA-256 through OpenSSL 3's EVP APIs, and the byte layout of a row's chain
// hash (docs/journal.md, "The hash chain"). Internal to kap::journal: no OpenSSL type leaks out.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kap::detail::journal {

/// A SHA-256 digest or HMAC-SHA-256 tag.
using digest = std::array<unsigned char, 32>;

/// A reusable SHA-256 context (the algorithm is fetched once).
class sha256 {
 public:
  sha256();
  ~sha256();
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;
  /// False when OpenSSL could not provide SHA-256.
  [[nodiscard]] bool ok() const noexcept { return md_ != nullptr && ctx_ != nullptr; }
  void begin();
  void update(const void* data, std::size_t n);
  void update(std::string_view s) { update(s.data(), s.size()); }
  [[nodiscard]] digest finish();
  /// The digest of one buffer.
  [[nodiscard]] digest of(std::string_view s) {
    begin();
    update(s);
    return finish();
  }

 private:
  void* md_ = nullptr;   // EVP_MD*
  void* ctx_ = nullptr;  // EVP_MD_CTX*
};

/// A reusable HMAC-SHA-256 context holding its key.
class hmac_sha256 {
 public:
  explicit hmac_sha256(std::span<const unsigned char> key);
  ~hmac_sha256();
  hmac_sha256(const hmac_sha256&) = delete;
  hmac_sha256& operator=(const hmac_sha256&) = delete;
  [[nodiscard]] bool ok() const noexcept { return mac_ != nullptr && ctx_ != nullptr; }
  void begin();
  void update(const void* data, std::size_t n);
  void update(std::string_view s) { update(s.data(), s.size()); }
  [[nodiscard]] digest finish();

 private:
  void* mac_ = nullptr;  // EVP_MAC*
  void* ctx_ = nullptr;  // EVP_MAC_CTX*
  std::vector<unsigned char> key_;
};

/// The chain hash of a row: SHA-256 over
///   "kap.journal/1" 0x00 | prev[32] | seq (u64 BE) | session (u32 BE length + bytes) |
///   protocol[32] | decision JSON (u32 BE length + bytes) | event JSON (u32 BE length + bytes)
[[nodiscard]] digest row_hash(sha256& h, const digest& prev, std::uint64_t seq, std::string_view session,
                              const digest& protocol, std::string_view decision, std::string_view event);

/// The keyed chain tag of a row: HMAC-SHA-256(key, "kap.journal/1 mac" 0x00 | prev_mac[32] | hash[32]).
[[nodiscard]] digest row_mac(hmac_sha256& m, const digest& prev_mac, const digest& hash);

/// The key check value stored in the file: HMAC-SHA-256(key, "kap.journal/1 key check").
[[nodiscard]] digest key_check(hmac_sha256& m);

/// Lower-case hex of a digest.
[[nodiscard]] std::string to_hex(const digest& d);
/// Parses 64 hex digits; false when `s` is not that.
[[nodiscard]] bool from_hex(std::string_view s, digest& out) noexcept;
/// Overwrites memory that held a key (not optimised away).
void cleanse(void* p, std::size_t n) noexcept;
/// Constant-time comparison of two digests.
[[nodiscard]] bool equal(const digest& a, const digest& b) noexcept;

}  // namespace kap::detail::journal
