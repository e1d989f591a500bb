// Internal to store/: a RocksDB checkpoint of an open database, behind Store::Checkpoint.
// Thread-safe: RocksDB allows checkpoints concurrent with writes, compactions and each other.
#pragma once

#include <rocksdb/db.h>

#include <boost/system/error_code.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace candour::store {

// Makes the checkpoint at `dir` (flushing the memtables first, so the copy's write-ahead log
// is short), copies `data_files` from the database's folder into it, and syncs it and the
// folder that holds it. kInvalid if `dir` exists or its parent does not; kIo on failure
// (nothing is left at `dir`).
[[nodiscard]] boost::system::error_code CheckpointDb(rocksdb::DB& db,
                                                     const std::filesystem::path& dir,
                                                     const std::vector<std::string>& data_files);

}  // namespace candour::store
