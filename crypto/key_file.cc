#include "crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <string>

#include "crypto/errc.h"

namespace candour::crypto {
namespace {

constexpr size_t kHexChars = DataKey::kBytes * 2;

// Reads at most `limit` bytes of the file; empty optional-like flag via bool.
bool ReadSmallFile(int fd, std::string* out, size_t limit) {
  std::array<char, 256> buf;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) return false;
    if (n == 0) return true;
    out->append(buf.data(), static_cast<size_t>(n));
    if (out->size() > limit) return true;
  }
}

}  // namespace

boost::system::result<DataKey> ReadKeyFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Errc::kKeyFileMissing : Errc::kKeyFileIo;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Errc::kKeyFileIo;
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    return Errc::kKeyFilePermissions;
  }
  std::string text;
  const bool ok = ReadSmallFile(fd, &text, kHexChars + 2);
  ::close(fd);
  if (!ok) return Errc::kKeyFileIo;
  if (!text.empty() && text.back() == '\n') text.pop_back();
  std::array<uint8_t, DataKey::kBytes> bytes{};
  size_t decoded = 0;
  const char* end = nullptr;
  const bool parsed = text.size() == kHexChars &&
                      sodium_hex2bin(bytes.data(), bytes.size(), text.data(), text.size(),
                                     nullptr, &decoded, &end) == 0 &&
                      decoded == DataKey::kBytes && end == text.data() + text.size();
  sodium_memzero(text.data(), text.size());
  if (!parsed) return Errc::kKeyFileMalformed;
  DataKey key = DataKey::FromBytes(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

boost::system::result<DataKey> CreateKeyFile(const std::filesystem::path& path) {
  DataKey key = DataKey::Generate();
  std::array<char, kHexChars + 2> hex{};
  sodium_bin2hex(hex.data(), hex.size(), key.data(), DataKey::kBytes);
  hex[kHexChars] = '\n';
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Errc::kKeyFileIo;
  const bool ok = ::write(fd, hex.data(), kHexChars + 1) == static_cast<ssize_t>(kHexChars + 1) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(hex.data(), hex.size());
  if (!ok) {
    std::filesystem::remove(path);
    return Errc::kKeyFileIo;
  }
  return key;
}

}  // namespace candour::crypto
