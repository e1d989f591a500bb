#include "crypto/sealed_box.h"

#include <algorithm>

#include "crypto/errc.h"
#include "crypto/key_file.h"

namespace candour::crypto {

BoxSecretKey::BoxSecretKey(BoxSecretKey&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), other.bytes_.size());
}

BoxSecretKey& BoxSecretKey::operator=(BoxSecretKey&& other) noexcept {
  bytes_ = other.bytes_;
  sodium_memzero(other.bytes_.data(), other.bytes_.size());
  return *this;
}

BoxSecretKey::~BoxSecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

boost::system::error_code CreateBoxKeyFiles(const std::filesystem::path& public_path,
                                            const std::filesystem::path& secret_path) {
  std::error_code exists;
  if (std::filesystem::exists(public_path, exists) ||
      std::filesystem::exists(secret_path, exists)) {
    return Errc::kKeyFileIo;
  }
  BoxPublicKey pk{};
  BoxSecretKey sk;
  crypto_box_keypair(pk.data(), sk.data());
  if (auto ec = WriteHexFile(secret_path, std::span<const uint8_t>(sk.data(), BoxSecretKey::kBytes),
                             true)) {
    return ec;
  }
  if (auto ec = WriteHexFile(public_path, pk, false)) {
    std::filesystem::remove(secret_path, exists);
    return ec;
  }
  return {};
}

boost::system::result<BoxPublicKey> ReadBoxPublicKey(const std::filesystem::path& path) {
  auto bytes = ReadHexFile(path, crypto_box_PUBLICKEYBYTES, false);
  if (!bytes) return bytes.error();
  BoxPublicKey pk{};
  std::copy(bytes->begin(), bytes->end(), pk.begin());
  return pk;
}

boost::system::result<BoxSecretKey> ReadBoxSecretKey(const std::filesystem::path& path) {
  auto bytes = ReadHexFile(path, BoxSecretKey::kBytes, true);
  if (!bytes) return bytes.error();
  BoxSecretKey sk;
  std::copy(bytes->begin(), bytes->end(), sk.data());
  sodium_memzero(bytes->data(), bytes->size());
  return sk;
}

std::string SealToPublicKey(std::string_view plaintext, const BoxPublicKey& recipient) {
  std::string sealed(plaintext.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<uint8_t*>(sealed.data()),
                  reinterpret_cast<const uint8_t*>(plaintext.data()), plaintext.size(),
                  recipient.data());
  return sealed;
}

boost::system::result<std::string> OpenSealed(std::string_view sealed, const BoxSecretKey& secret) {
  if (sealed.size() < crypto_box_SEALBYTES) return Errc::kForged;
  BoxPublicKey pk{};
  crypto_scalarmult_base(pk.data(), secret.data());
  std::string plaintext(sealed.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<uint8_t*>(plaintext.data()),
                           reinterpret_cast<const uint8_t*>(sealed.data()), sealed.size(),
                           pk.data(), secret.data()) != 0) {
    return Errc::kForged;
  }
  return plaintext;
}

}  // namespace candour::crypto
