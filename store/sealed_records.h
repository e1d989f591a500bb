// Internal to store/: the names and associated data of every record sealed with the data key
// (responses, the key-check record, the digest secret), shared by the store and by key
// rotation (store/key_rotation.h), and the rotation record that marks a rotation under way.
// Not part of the module's interface (RocksDB types never leave store/).
// Thread-safe: constants and pure functions; the DB functions are as thread-safe as RocksDB.
#pragma once

#include <rocksdb/db.h>

#include <boost/system/error_code.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/data_key.h"

namespace candour::store::internal {

// Meta records whose keys start with "key-check" are the store's own (PutMeta refuses them).
inline constexpr char kKeyCheckKey[] = "key-check";
inline constexpr char kDigestKeyKey[] = "key-check/digest";  // the sealed digest secret
// The rotation record: present only while a key rotation is under way (not sealed).
inline constexpr char kRotationKey[] = "key-check/rotation";
inline constexpr char kKeyCheckPlaintext[] = "candour key check v1";
// Associated data: this prefix and the record's key.
inline constexpr char kResponsesAd[] = "candour/responses/";
inline constexpr char kMetaAd[] = "candour/meta/";

// A key's public name: a keyed BLAKE2b-128 of a fixed text under the key, 32 hex digits.
// Equal for equal keys; says nothing about the key without it.
std::string KeyId(const crypto::DataKey& key);

// What the rotation record holds. Responses (in the responses column family, in key order) up
// to and including `done` are sealed under the key `to`, every later one under `from`; the
// key-check record and the digest secret stay under `from` until the last batch re-seals them
// and deletes this record, in one synced write.
struct RotationRecord {
  std::string from;      // KeyId of the old key
  std::string to;        // KeyId of the new key
  std::string done;      // the last response key re-sealed; empty: none yet
  std::string old_file;  // the old key's file (absolute), for the operator
  std::string new_file;  // the new key's file (absolute)
};
std::string FormatRotation(const RotationRecord& r);
// nullopt if `text` is not a rotation record.
std::optional<RotationRecord> ParseRotation(std::string_view text);

// The rotation record of `db`, if any. kIo/kCorrupt on read failures; kCorrupt for a record
// that does not parse.
[[nodiscard]] boost::system::error_code ReadRotation(rocksdb::DB& db,
                                                     rocksdb::ColumnFamilyHandle* meta,
                                                     std::optional<RotationRecord>* out);

// For Store::Open: Errc::kRotating when a rotation is under way, with `detail` receiving the
// old and the new key file, one a line; the read's error on failure; else no error.
[[nodiscard]] boost::system::error_code RefuseUnfinishedRotation(rocksdb::DB& db,
                                                                 rocksdb::ColumnFamilyHandle* meta,
                                                                 std::string* detail);

}  // namespace candour::store::internal
