#include "crypto/data_key.h"

#include <algorithm>

namespace candour::crypto {

DataKey DataKey::Generate() {
  DataKey key;
  crypto_aead_xchacha20poly1305_ietf_keygen(key.bytes_.data());
  return key;
}

DataKey DataKey::FromBytes(std::span<const uint8_t, kBytes> bytes) {
  DataKey key;
  std::copy(bytes.begin(), bytes.end(), key.bytes_.begin());
  return key;
}

DataKey::DataKey(DataKey&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), kBytes);
}

DataKey& DataKey::operator=(DataKey&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    sodium_memzero(other.bytes_.data(), kBytes);
  }
  return *this;
}

DataKey::~DataKey() { sodium_memzero(bytes_.data(), kBytes); }

}  // namespace candour::crypto
