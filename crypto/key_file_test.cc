#include "crypto/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "crypto/aead.h"
#include "crypto/errc.h"
#include "tests/temp_dir.h"

namespace candour::crypto {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;

class KeyFileTest : public ::testing::Test {
 protected:
  const TempDir temp_{"keyfile"};
  const fs::path dir_ = temp_.path();
};

TEST_F(KeyFileTest, CreatedKeyReadsBackAndIsPrivate) {
  const fs::path path = dir_ / "data.key";
  auto created = CreateKeyFile(path);
  ASSERT_TRUE(created.has_value());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto read = ReadKeyFile(path);
  ASSERT_TRUE(read.has_value()) << read.error().message();
  const std::array<uint8_t, kNonceBytes> nonce{};
  const std::string sealed = Seal(*created, nonce, "same key", "ad");
  auto opened = Open(*read, sealed, "ad");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, "same key");
}

TEST_F(KeyFileTest, NeverOverwritesAnExistingFile) {
  const fs::path path = dir_ / "data.key";
  ASSERT_TRUE(CreateKeyFile(path).has_value());
  auto again = CreateKeyFile(path);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error(), Errc::kKeyFileIo);
}

TEST_F(KeyFileTest, MissingFileIsReportedAsMissing) {
  auto read = ReadKeyFile(dir_ / "absent.key");
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error(), Errc::kKeyFileMissing);
}

TEST_F(KeyFileTest, GroupReadableFileIsRefused) {
  const fs::path path = dir_ / "data.key";
  ASSERT_TRUE(CreateKeyFile(path).has_value());
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  auto read = ReadKeyFile(path);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error(), Errc::kKeyFilePermissions);
}

TEST_F(KeyFileTest, MalformedContentsAreRefused) {
  for (const std::string& text :
       std::vector<std::string>{"", "abc\n", std::string(63, 'a') + "\n",
                                std::string(64, 'g') + "\n", std::string(66, 'a')}) {
    const fs::path path = dir_ / "bad.key";
    fs::remove(path);
    std::ofstream(path) << text;
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    auto read = ReadKeyFile(path);
    ASSERT_FALSE(read.has_value()) << text;
    EXPECT_EQ(read.error(), Errc::kKeyFileMalformed) << text;
  }
}

}  // namespace
}  // namespace candour::crypto
