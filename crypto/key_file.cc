#include "crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string>

#include "crypto/errc.h"

namespace candour::crypto {
namespace {

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

boost::system::result<std::vector<uint8_t>> ReadHexFile(const std::filesystem::path& path,
                                                        size_t bytes, bool secret) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Errc::kKeyFileMissing : Errc::kKeyFileIo;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Errc::kKeyFileIo;
  }
  if (secret && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    return Errc::kKeyFilePermissions;
  }
  std::string text;
  const bool ok = ReadSmallFile(fd, &text, bytes * 2 + 2);
  ::close(fd);
  if (!ok) return Errc::kKeyFileIo;
  if (!text.empty() && text.back() == '\n') text.pop_back();
  std::vector<uint8_t> out(bytes);
  size_t decoded = 0;
  const char* end = nullptr;
  const bool parsed = text.size() == bytes * 2 &&
                      sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr,
                                     &decoded, &end) == 0 &&
                      decoded == bytes && end == text.data() + text.size();
  sodium_memzero(text.data(), text.size());
  if (!parsed) {
    sodium_memzero(out.data(), out.size());
    return Errc::kKeyFileMalformed;
  }
  return out;
}

boost::system::error_code WriteHexFile(const std::filesystem::path& path,
                                       std::span<const uint8_t> bytes, bool secret) {
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.back() = '\n';
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, secret ? 0600 : 0644);
  if (fd < 0) return Errc::kKeyFileIo;
  const bool ok =
      ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(hex.data(), hex.size());
  if (!ok) {
    std::filesystem::remove(path);
    return Errc::kKeyFileIo;
  }
  return {};
}

boost::system::result<DataKey> ReadKeyFile(const std::filesystem::path& path) {
  auto bytes = ReadHexFile(path, DataKey::kBytes, true);
  if (!bytes) return bytes.error();
  std::array<uint8_t, DataKey::kBytes> array{};
  std::copy(bytes->begin(), bytes->end(), array.begin());
  sodium_memzero(bytes->data(), bytes->size());
  DataKey key = DataKey::FromBytes(array);
  sodium_memzero(array.data(), array.size());
  return key;
}

boost::system::result<DataKey> CreateKeyFile(const std::filesystem::path& path) {
  DataKey key = DataKey::Generate();
  if (auto ec = WriteHexFile(path, std::span<const uint8_t>(key.data(), DataKey::kBytes), true)) {
    return ec;
  }
  return key;
}

}  // namespace candour::crypto
