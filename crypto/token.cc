#include "crypto/token.h"

#include <sodium.h>

#include <array>

namespace candour::crypto {

std::string NewAdminToken() {
  std::array<uint8_t, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();
  sodium_memzero(bytes.data(), bytes.size());
  return hex;
}

std::string NewCode(size_t length) {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";  // 31 symbols
  std::string code(length, ' ');
  for (char& c : code) c = kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  return code;
}

std::string SecretHash(std::string_view context, std::string_view secret) {
  std::array<uint8_t, crypto_generichash_BYTES> digest{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, digest.size());
  const std::string prefix = std::string(context) + '\0';
  crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(prefix.data()), prefix.size());
  crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(secret.data()), secret.size());
  crypto_generichash_final(&state, digest.data(), digest.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

bool SecretMatches(std::string_view context, std::string_view secret,
                   std::string_view stored_hash) {
  const std::string presented = SecretHash(context, secret);
  return stored_hash.size() == presented.size() &&
         sodium_memcmp(presented.data(), stored_hash.data(), presented.size()) == 0;
}

}  // namespace candour::crypto
