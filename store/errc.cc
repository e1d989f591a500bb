#include "store/errc.h"

#include <string>

namespace candour::store {
namespace {

class CategoryImpl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "candour.store"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::kIo:
        return "storage I/O error (disk full, read-only or not permitted)";
      case Errc::kCorrupt:
        return "the database files are damaged";
      case Errc::kLocked:
        return "the data folder is in use by another process";
      case Errc::kWrongKey:
        return "the data key does not match this data folder (key-check record failed)";
      case Errc::kOverloaded:
        return "too many submissions are waiting to be written";
      case Errc::kClosed:
        return "the store is shutting down";
      case Errc::kInvalid:
        return "invalid argument to the store";
      case Errc::kMissing:
        return "there is no database in the data folder";
      case Errc::kEmptied:
        return "the data folder is missing or empty, but the data key has held data";
      case Errc::kIncomplete:
        return "the database is incomplete (half-made, or a file such as CURRENT is lost)";
      case Errc::kWalDamaged:
        return "the write-ahead log is damaged before its end";
      case Errc::kRotating:
        return "a key rotation of the data folder is under way (run rotate-key again to finish it)";
      case Errc::kNoSpace:
        return "the disk holding the data folder is full (free space on it)";
    }
    return "unknown store error";
  }
};

}  // namespace

const boost::system::error_category& Category() {
  static const CategoryImpl category;
  return category;
}

}  // namespace candour::store
