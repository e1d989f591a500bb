#include "crypto/aead.h"

#include "crypto/errc.h"

namespace candour::crypto {
namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

void SealTo(const DataKey& key, std::span<const uint8_t, kNonceBytes> nonce,
            std::string_view plaintext, std::string_view associated_data, std::string* out) {
  const size_t start = out->size();
  out->resize(start + kNonceBytes + plaintext.size() + kTagBytes);
  auto* dst = reinterpret_cast<unsigned char*>(out->data() + start);
  std::copy(nonce.begin(), nonce.end(), dst);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      dst + kNonceBytes, &written, Bytes(plaintext), plaintext.size(), Bytes(associated_data),
      associated_data.size(), nullptr, nonce.data(), key.data());
}

std::string Seal(const DataKey& key, std::span<const uint8_t, kNonceBytes> nonce,
                 std::string_view plaintext, std::string_view associated_data) {
  std::string out;
  SealTo(key, nonce, plaintext, associated_data, &out);
  return out;
}

boost::system::result<std::string> Open(const DataKey& key, std::string_view sealed,
                                        std::string_view associated_data) {
  if (sealed.size() < kSealOverhead) return Errc::kForged;
  const auto* nonce = Bytes(sealed);
  const std::string_view body = sealed.substr(kNonceBytes);
  std::string plaintext(body.size() - kTagBytes, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plaintext.data()), &written, nullptr, Bytes(body),
          body.size(), Bytes(associated_data), associated_data.size(), nonce, key.data()) != 0) {
    return Errc::kForged;
  }
  plaintext.resize(written);
  return plaintext;
}

}  // namespace candour::crypto
