// Key rotation: re-seals every record sealed with the data key (each response, the key-check
// record, the digest secret) under a new key, in a stopped server's data folder, surviving a
// crash at any point. A rotation record (store/sealed_records.h) written with a synced write
// before the first re-seal says "from key A to key B, done up to response R"; each batch of
// re-sealed responses and the record's new progress are one synced write, so every response
// opens under exactly one of the two keys at every moment and the record says which. The last
// write re-seals the key-check record and the digest secret and deletes the rotation record.
// While the record exists Store::Open refuses the folder (Errc::kRotating); running RotateKey
// again with the same two keys finishes the rotation. There is no rollback: a rotation, once
// begun, is finished.
// Thread-safe: no shared state; the data folder's lock keeps out every other process.
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "crypto/data_key.h"

namespace candour::store {

struct RotationOptions {
  // The data folder. Default: none, required.
  std::filesystem::path dir;
  // The files the two keys were read from, kept in the rotation record so that a refused open
  // can name them. Default: none, required; neither may contain a newline.
  std::filesystem::path old_key_file, new_key_file;
  // Responses re-sealed per synced write: larger is faster and holds more in memory.
  // Default: 4096. REQUIRES: >= 1.
  size_t batch_responses = 4096;
  // Called after each synced batch with the number of responses re-sealed so far in this run;
  // returning false stops the run there, as a crash would (tests). Default: none.
  std::function<bool(uint64_t resealed)> on_batch;
};

struct RotationReport {
  bool already_done = false;  // `new_key` already opens the folder and no rotation is under way
  bool resumed = false;       // a rotation under way from an earlier, interrupted run was finished
  uint64_t resealed = 0;      // responses re-sealed by this run
  // Responses that opened under neither key (tampered or foreign before the rotation): left as
  // they were, and still counted as failing authentication afterwards.
  uint64_t forged = 0;
  // The live files were compacted, so the old ciphertexts are gone from them (false: the
  // compaction failed after the rotation was complete; the next scrub or compaction drops them).
  bool compacted = false;
};

// Rotates the folder from `old_key` to `new_key`, or finishes the rotation under way between
// them, then compacts so that the old ciphertexts leave the live files (backups made before
// keep them, sealed under the old key). Returns what was done.
// Errc::kInvalid if the keys are equal or a file name holds a newline; kMissing if there is no
// database; kIncomplete for a half-made one; kLocked if a process (a running server) has it
// open; kWrongKey if `old_key` does not open it, or a rotation under way is between other keys
// (`detail` then names the key files it is between); kClosed if on_batch stopped it; kIo or
// kCorrupt on storage failures (the rotation record stays: run again to finish).
[[nodiscard]] boost::system::result<RotationReport> RotateKey(const RotationOptions& options,
                                                              const crypto::DataKey& old_key,
                                                              const crypto::DataKey& new_key,
                                                              std::string* detail = nullptr);

}  // namespace candour::store
