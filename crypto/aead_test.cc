#include "crypto/aead.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <string>
#include <vector>

#include "crypto/errc.h"

namespace candour::crypto {
namespace {

std::vector<uint8_t> Unhex(std::string_view hex) {
  std::vector<uint8_t> out(hex.size() / 2);
  size_t len = 0;
  EXPECT_EQ(sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr),
            0);
  out.resize(len);
  return out;
}

std::string Hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

// draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XChaCha20_Poly1305).
struct Kat {
  DataKey key = DataKey::FromBytes(std::span<const uint8_t, DataKey::kBytes>(
      Unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f").data(),
      DataKey::kBytes));
  std::vector<uint8_t> nonce = Unhex("404142434445464748494a4b4c4d4e4f5051525354555657");
  std::string ad = "\x50\x51\x52\x53\xc0\xc1\xc2\xc3\xc4\xc5\xc6\xc7";
  std::string plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
      "future, sunscreen would be it.";
  std::string ciphertext_and_tag_hex =
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
      "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
      "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
      "21f9664c97637da9768812f615c68b13b52e"
      "c0875924c1c7987947deafd8780acf49";

  std::span<const uint8_t, kNonceBytes> Nonce() const {
    return std::span<const uint8_t, kNonceBytes>(nonce.data(), kNonceBytes);
  }
};

TEST(AeadTest, SealMatchesDraftKnownAnswer) {
  Kat kat;
  const std::string sealed = Seal(kat.key, kat.Nonce(), kat.plaintext, kat.ad);
  ASSERT_EQ(sealed.size(), kNonceBytes + kat.plaintext.size() + kTagBytes);
  EXPECT_EQ(Hex(sealed.substr(0, kNonceBytes)), "404142434445464748494a4b4c4d4e4f5051525354555657");
  EXPECT_EQ(Hex(sealed.substr(kNonceBytes)), kat.ciphertext_and_tag_hex);
}

TEST(AeadTest, OpenMatchesDraftKnownAnswer) {
  Kat kat;
  std::string sealed(reinterpret_cast<const char*>(kat.nonce.data()), kat.nonce.size());
  const auto body = Unhex(kat.ciphertext_and_tag_hex);
  sealed.append(reinterpret_cast<const char*>(body.data()), body.size());
  auto opened = Open(kat.key, sealed, kat.ad);
  ASSERT_TRUE(opened.has_value()) << opened.error().message();
  EXPECT_EQ(*opened, kat.plaintext);
}

TEST(AeadTest, EveryFlippedBitIsRejected) {
  Kat kat;
  const std::string sealed = Seal(kat.key, kat.Nonce(), "short answer", kat.ad);
  for (size_t i = 0; i < sealed.size() * 8; ++i) {
    std::string tampered = sealed;
    tampered[i / 8] = static_cast<char>(tampered[i / 8] ^ (1 << (i % 8)));
    auto opened = Open(kat.key, tampered, kat.ad);
    ASSERT_FALSE(opened.has_value()) << "bit " << i;
    EXPECT_EQ(opened.error(), Errc::kForged);
  }
}

TEST(AeadTest, OtherAssociatedDataIsRejected) {
  Kat kat;
  const std::string sealed = Seal(kat.key, kat.Nonce(), "answers", "demo/key-1");
  auto opened = Open(kat.key, sealed, "demo/key-2");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error(), Errc::kForged);
}

TEST(AeadTest, OtherKeyIsRejected) {
  Kat kat;
  const std::string sealed = Seal(kat.key, kat.Nonce(), "answers", "ad");
  auto opened = Open(DataKey::Generate(), sealed, "ad");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error(), Errc::kForged);
}

TEST(AeadTest, TruncatedRecordsAreRejected) {
  Kat kat;
  const std::string sealed = Seal(kat.key, kat.Nonce(), "answers", "ad");
  for (size_t n = 0; n < sealed.size(); ++n) {
    auto opened = Open(kat.key, sealed.substr(0, n), "ad");
    ASSERT_FALSE(opened.has_value()) << n;
    EXPECT_EQ(opened.error(), Errc::kForged);
  }
}

TEST(AeadTest, EmptyPlaintextRoundTrips) {
  Kat kat;
  auto opened = Open(kat.key, Seal(kat.key, kat.Nonce(), "", "ad"), "ad");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, "");
}

}  // namespace
}  // namespace candour::crypto
