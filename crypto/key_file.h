// Reading and creating the data key file: 64 hex digits and a newline, mode 0600.
// Thread-safe: no shared state (the file system is the only shared resource).
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "crypto/data_key.h"

namespace candour::crypto {

// Returns the key stored at `path`.
// Errc::kKeyFileMissing if there is no such file; kKeyFilePermissions if group or others may
// read it; kKeyFileMalformed if it does not hold exactly one key; kKeyFileIo on read errors.
[[nodiscard]] boost::system::result<DataKey> ReadKeyFile(const std::filesystem::path& path);

// Generates a key and writes it to a new file at `path` (created with mode 0600, synced).
// Never overwrites: Errc::kKeyFileIo if the file exists or cannot be written.
// REQUIRES: sodium_init() has succeeded.
[[nodiscard]] boost::system::result<DataKey> CreateKeyFile(const std::filesystem::path& path);

// The building blocks, for other keys (the comments key pair): a file of exactly `bytes` bytes
// as hex and a newline. With `secret`, reading refuses a file group or others may read
// (kKeyFilePermissions) and writing creates it 0600 (else 0644). Errors as above.
[[nodiscard]] boost::system::result<std::vector<uint8_t>> ReadHexFile(
    const std::filesystem::path& path, size_t bytes, bool secret);
[[nodiscard]] boost::system::error_code WriteHexFile(const std::filesystem::path& path,
                                                     std::span<const uint8_t> bytes, bool secret);

}  // namespace candour::crypto
