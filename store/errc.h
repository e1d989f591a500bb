// Error codes of the store module, registered as a boost::system error category.
// No rocksdb::Status ever leaves store/: every failure is one of these.
// Thread-safe: the category is immutable.
#pragma once

#include <boost/system/error_code.hpp>

namespace candour::store {

enum class Errc {
  kIo = 1,      // the disk or file system failed (full, read-only, permissions)
  kCorrupt,     // the database files are damaged
  kLocked,      // another process has this data folder open
  kWrongKey,    // the data key does not match the one this data folder was written with
  kOverloaded,  // the commit queue is full; try again shortly
  kClosed,      // the store is shutting down and takes no more writes
  kInvalid,     // the caller passed an argument the store cannot hold (e.g. a NUL in an id)
  kMissing,     // there is no database in the data folder, and none may be made here
  kEmptied,     // the data folder is missing or empty, but the key has held data
  kIncomplete,  // the database is half-made (no CURRENT, a column family or key-check record)
  kWalDamaged,  // the write-ahead log is damaged before its end
  kRotating,    // a key rotation is under way; `candour rotate-key` finishes it
  kNoSpace,     // the data folder's disk is (nearly) full; writes wait for space
};

const boost::system::error_category& Category();

inline boost::system::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), Category()};
}

}  // namespace candour::store

template <>
struct boost::system::is_error_code_enum<candour::store::Errc> : std::true_type {};
