// Error codes of the crypto module, registered as a boost::system error category.
// Thread-safe: the category is immutable.
#pragma once

#include <boost/system/error_code.hpp>

namespace candour::crypto {

enum class Errc {
  kForged = 1,          // ciphertext failed authentication: tampered, truncated or wrong key
  kKeyFileMissing,      // the key file does not exist
  kKeyFileMalformed,    // the key file is not a Candour data key
  kKeyFilePermissions,  // the key file is readable by group or others
  kKeyFileIo,           // the key file could not be read or written
};

const boost::system::error_category& Category();

inline boost::system::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), Category()};
}

}  // namespace candour::crypto

template <>
struct boost::system::is_error_code_enum<candour::crypto::Errc> : std::true_type {};
