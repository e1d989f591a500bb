// Reading and creating the data key file: 64 hex digits and a newline, mode 0600.
// Thread-safe: no shared state (the file system is the only shared resource).
#pragma once

#include <boost/system/result.hpp>
#include <filesystem>

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

}  // namespace candour::crypto
