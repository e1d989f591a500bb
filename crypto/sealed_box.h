// Sealing to an offline key (crypto_box_seal): the server holds only the public half, so it
// can seal free-text answers but never read them; whoever holds the secret half, away from
// the server, opens them. Key files: hex, the secret one mode 0600.
// Thread-safe: pure functions. REQUIRES: sodium_init() has succeeded.
#pragma once

#include <sodium.h>

#include <array>
#include <boost/system/result.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace candour::crypto {

using BoxPublicKey = std::array<uint8_t, crypto_box_PUBLICKEYBYTES>;

// A secret box key; wiped when destroyed. Move-only.
class BoxSecretKey {
 public:
  BoxSecretKey() = default;
  BoxSecretKey(BoxSecretKey&& other) noexcept;
  BoxSecretKey& operator=(BoxSecretKey&& other) noexcept;
  BoxSecretKey(const BoxSecretKey&) = delete;
  BoxSecretKey& operator=(const BoxSecretKey&) = delete;
  ~BoxSecretKey();
  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  static constexpr size_t kBytes = crypto_box_SECRETKEYBYTES;

 private:
  std::array<uint8_t, kBytes> bytes_{};
};

// Generates a pair and writes it to two new files (never overwrites: kKeyFileIo if either
// exists; on failure neither is left behind).
[[nodiscard]] boost::system::error_code CreateBoxKeyFiles(const std::filesystem::path& public_path,
                                                          const std::filesystem::path& secret_path);
// Errors as ReadHexFile.
[[nodiscard]] boost::system::result<BoxPublicKey> ReadBoxPublicKey(
    const std::filesystem::path& path);
[[nodiscard]] boost::system::result<BoxSecretKey> ReadBoxSecretKey(
    const std::filesystem::path& path);

// Seals `plaintext` to `recipient`: crypto_box_SEALBYTES longer than the plaintext.
std::string SealToPublicKey(std::string_view plaintext, const BoxPublicKey& recipient);

// Opens a sealed box with the recipient's secret key (its public half is derived from it).
// Errc::kForged if it was not sealed to this key or was altered.
[[nodiscard]] boost::system::result<std::string> OpenSealed(std::string_view sealed,
                                                            const BoxSecretKey& secret);

}  // namespace candour::crypto
