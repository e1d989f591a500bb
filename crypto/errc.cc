#include "crypto/errc.h"

#include <string>

namespace candour::crypto {
namespace {

class CategoryImpl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "candour.crypto"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kForged:
        return "ciphertext failed authentication (tampered, truncated or wrong key)";
      case Errc::kKeyFileMissing:
        return "key file does not exist";
      case Errc::kKeyFileMalformed:
        return "key file is not a Candour data key (expected 64 hex digits)";
      case Errc::kKeyFilePermissions:
        return "key file is readable by group or others (expected mode 0600)";
      case Errc::kKeyFileIo:
        return "key file could not be read or written";
    }
    return "unknown crypto error";
  }
};

}  // namespace

const boost::system::error_category& Category() {
  static const CategoryImpl category;
  return category;
}

}  // namespace candour::crypto
