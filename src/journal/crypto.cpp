#include "crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace kap::detail::journal {

namespace {

EVP_MD* md(void* p) { return static_cast<EVP_MD*>(p); }
EVP_MD_CTX* md_ctx(void* p) { return static_cast<EVP_MD_CTX*>(p); }
EVP_MAC* mac(void* p) { return static_cast<EVP_MAC*>(p); }
EVP_MAC_CTX* mac_ctx(void* p) { return static_cast<EVP_MAC_CTX*>(p); }

void put_u32(unsigned char* out, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(v & 0xFF);
    v >>= 8;
  }
}

void put_u64(unsigned char* out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<unsigned char>(v & 0xFF);
    v >>= 8;
  }
}

void update_sized(sha256& h, std::string_view s) {
  unsigned char len[4];
  put_u32(len, static_cast<std::uint32_t>(s.size()));
  h.update(len, sizeof len);
  h.update(s);
}

constexpr std::string_view row_domain{"kap.journal/1\0", 14};
constexpr std::string_view mac_domain{"kap.journal/1 mac\0", 18};
constexpr std::string_view key_check_domain{"kap.journal/1 key check"};

}  // namespace

sha256::sha256() {
  md_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  ctx_ = EVP_MD_CTX_new();
}

sha256::~sha256() {
  EVP_MD_CTX_free(md_ctx(ctx_));
  EVP_MD_free(md(md_));
}

void sha256::begin() { EVP_DigestInit_ex2(md_ctx(ctx_), md(md_), nullptr); }

void sha256::update(const void* data, std::size_t n) { EVP_DigestUpdate(md_ctx(ctx_), data, n); }

digest sha256::finish() {
  digest d{};
  unsigned int n = 0;
  EVP_DigestFinal_ex(md_ctx(ctx_), d.data(), &n);
  return d;
}

hmac_sha256::hmac_sha256(std::span<const unsigned char> key) : key_(key.begin(), key.end()) {
  mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac_) ctx_ = EVP_MAC_CTX_new(mac(mac_));
  if (ctx_) {
    char name[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name, 0), OSSL_PARAM_construct_end()};
    if (EVP_MAC_CTX_set_params(mac_ctx(ctx_), params) != 1) {
      EVP_MAC_CTX_free(mac_ctx(ctx_));
      ctx_ = nullptr;
    }
  }
}

hmac_sha256::~hmac_sha256() {
  OPENSSL_cleanse(key_.data(), key_.size());
  EVP_MAC_CTX_free(mac_ctx(ctx_));
  EVP_MAC_free(mac(mac_));
}

void hmac_sha256::begin() { EVP_MAC_init(mac_ctx(ctx_), key_.data(), key_.size(), nullptr); }

void hmac_sha256::update(const void* data, std::size_t n) {
  EVP_MAC_update(mac_ctx(ctx_), static_cast<const unsigned char*>(data), n);
}

digest hmac_sha256::finish() {
  digest d{};
  std::size_t n = 0;
  EVP_MAC_final(mac_ctx(ctx_), d.data(), &n, d.size());
  return d;
}

digest row_hash(sha256& h, const digest& prev, std::uint64_t seq, std::string_view session, const digest& protocol,
                std::string_view decision, std::string_view event) {
  h.begin();
  h.update(row_domain);
  h.update(prev.data(), prev.size());
  unsigned char s[8];
  put_u64(s, seq);
  h.update(s, sizeof s);
  update_sized(h, session);
  h.update(protocol.data(), protocol.size());
  update_sized(h, decision);
  update_sized(h, event);
  return h.finish();
}

digest row_mac(hmac_sha256& m, const digest& prev_mac, const digest& hash) {
  m.begin();
  m.update(mac_domain);
  m.update(prev_mac.data(), prev_mac.size());
  m.update(hash.data(), hash.size());
  return m.finish();
}

digest key_check(hmac_sha256& m) {
  m.begin();
  m.update(key_check_domain);
  return m.finish();
}

std::string to_hex(const digest& d) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (const unsigned char c : d) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xF]);
  }
  return out;
}

bool from_hex(std::string_view s, digest& out) noexcept {
  if (s.size() != 64) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = nibble(s[2 * i]);
    const int lo = nibble(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

void cleanse(void* p, std::size_t n) noexcept { OPENSSL_cleanse(p, n); }

bool equal(const digest& a, const digest& b) noexcept { return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0; }

}  // namespace kap::detail::journal
