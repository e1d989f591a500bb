#include "crypto/sealed_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "crypto/errc.h"
#include "crypto/token.h"
#include "tests/temp_dir.h"

namespace candour::crypto {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;

TEST(SealedBoxTest, OnlyTheSecretKeyOpensAndEveryAlterationIsRefused) {
  const TempDir temp("sealed");
  const fs::path& dir = temp.path();
  ASSERT_FALSE(CreateBoxKeyFiles(dir / "c.pub", dir / "c.secret"));
  struct stat st {};
  ASSERT_EQ(::stat((dir / "c.secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto pk = ReadBoxPublicKey(dir / "c.pub");
  auto sk = ReadBoxSecretKey(dir / "c.secret");
  ASSERT_TRUE(pk && sk);
  const std::string sealed = SealToPublicKey("more youth workers", *pk);
  EXPECT_EQ(sealed.size(), 18 + crypto_box_SEALBYTES);
  EXPECT_EQ(sealed.find("youth"), std::string::npos);
  EXPECT_NE(SealToPublicKey("more youth workers", *pk), sealed);  // a fresh ephemeral key each time
  EXPECT_EQ(OpenSealed(sealed, *sk).value(), "more youth workers");
  for (size_t i = 0; i < sealed.size(); i += 7) {
    std::string bad = sealed;
    bad[i] ^= 1;
    EXPECT_EQ(OpenSealed(bad, *sk).error(), Errc::kForged) << i;
  }
  EXPECT_EQ(OpenSealed(sealed.substr(0, 10), *sk).error(), Errc::kForged);
  ASSERT_FALSE(CreateBoxKeyFiles(dir / "d.pub", dir / "d.secret"));
  EXPECT_EQ(OpenSealed(sealed, ReadBoxSecretKey(dir / "d.secret").value()).error(), Errc::kForged);
  // Never overwrites, and a public key file is not a secret key file.
  EXPECT_EQ(CreateBoxKeyFiles(dir / "c.pub", dir / "e.secret"), Errc::kKeyFileIo);
  EXPECT_FALSE(fs::exists(dir / "e.secret"));
  EXPECT_EQ(ReadBoxSecretKey(dir / "c.pub").error(), Errc::kKeyFilePermissions);
}

TEST(TokenTest, HashesAreContextBoundAndComparedExactly) {
  const std::string token = NewAdminToken();
  EXPECT_EQ(token.size(), 64u);
  EXPECT_NE(NewAdminToken(), token);
  const std::string hash = SecretHash("admin", token);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_NE(hash, SecretHash("code", token));
  EXPECT_TRUE(SecretMatches("admin", token, hash));
  EXPECT_FALSE(SecretMatches("admin", token + "x", hash));
  EXPECT_FALSE(SecretMatches("admin", token, hash.substr(1)));
  EXPECT_FALSE(SecretMatches("code", token, hash));
  // Known answer: BLAKE2b-256 of "ctx\0abc" (checked with Python's hashlib.blake2b).
  EXPECT_EQ(SecretHash("ctx", "abc"),
            "f56b1e5e8f752ad442c3245c273633793344d727c38b425f0bdca3095125a05e");
}

TEST(TokenTest, CodesUseAnUnambiguousAlphabet) {
  for (int i = 0; i < 200; ++i) {
    const std::string code = NewCode();
    ASSERT_EQ(code.size(), 12u);
    EXPECT_EQ(code.find_first_of("01ilo"), std::string::npos) << code;
  }
}

}  // namespace
}  // namespace candour::crypto
