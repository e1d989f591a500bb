// What a data folder holds before RocksDB is asked to open it, and the marker beside the data
// key that says the key has held data. Store::Open uses both to create a database only on
// purpose: never over a missing CURRENT, never in a folder that was emptied or left unmounted.
// Thread-safe: no shared state (the file system is the only shared resource).
#pragma once

#include <boost/system/error_code.hpp>
#include <filesystem>

namespace candour::store {

enum class FolderState {
  kMissing,   // there is no such folder
  kEmpty,     // the folder exists and holds nothing (a lost+found aside: an empty file system)
  kDatabase,  // it holds a RocksDB CURRENT file
  kPartial,   // it holds files but no CURRENT: half-made, or CURRENT was lost
};

// REQUIRES: nothing; a folder that cannot be listed is kPartial (never taken as empty).
FolderState InspectFolder(const std::filesystem::path& dir);

// The marker records only that a database was created or opened under the key: its content is
// a fixed sentence, nothing about the data, the folder or when.
bool HeldDataMarked(const std::filesystem::path& marker);
// Writes the marker (synced, mode 0600) unless it exists. kIo if it cannot be written.
[[nodiscard]] boost::system::error_code MarkHeldData(const std::filesystem::path& marker);

}  // namespace candour::store
