// DataKey: the symmetric key that seals every stored response (XChaCha20-Poly1305).
// Move-only; the bytes are wiped with sodium_memzero when the key is destroyed or moved from.
// Thread-safe for concurrent const use.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <span>

namespace candour::crypto {

class DataKey {
 public:
  static constexpr size_t kBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;

  // A fresh key from libsodium's CSPRNG. REQUIRES: sodium_init() has succeeded.
  static DataKey Generate();
  // A key holding exactly these bytes (known-answer tests, key files).
  static DataKey FromBytes(std::span<const uint8_t, kBytes> bytes);

  DataKey(DataKey&& other) noexcept;
  DataKey& operator=(DataKey&& other) noexcept;
  DataKey(const DataKey&) = delete;
  DataKey& operator=(const DataKey&) = delete;
  ~DataKey();

  const uint8_t* data() const { return bytes_.data(); }

 private:
  DataKey() = default;
  std::array<uint8_t, kBytes> bytes_{};
};

}  // namespace candour::crypto
