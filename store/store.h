// Store: Candour's durable state (survey definitions, sealed responses, metadata) behind an
// interface of our own; RocksDB stays inside store/.
//
// Every response is sealed with the data key (XChaCha20-Poly1305) before it is written, under
// a random 16-byte id, so neither the bytes nor the key order on disk reveal its content or
// when it arrived. Associated data binds each sealed response to its database key.
//
// Thread-safe: all methods may be called concurrently.
#pragma once

#include <boost/system/result.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/data_key.h"
#include "store/group_committer.h"

namespace candour::store {

struct StoreOptions {
  // The data folder. Default: none, required.
  std::filesystem::path dir;
  // Whether Open may make a new database: only in a missing or empty `dir` (then made, with
  // its parents), and only while `held_data_marker` does not exist. Default: false (a missing
  // database is kMissing, and no folder is made).
  bool create = false;
  // A file beside the data key recording that the key has held data (store/data_folder.h).
  // Open writes it once a database is open under the key; while it exists a missing or empty
  // `dir` is kEmptied, never a new database. Default: empty (no marker is read or written).
  std::filesystem::path held_data_marker = {};
  // Batching of durable response writes; see GroupCommitterOptions for each default.
  GroupCommitterOptions commit = {};
  // (store/space_guard.h) The space kept in reserve in the data folder, released
  // so that RocksDB can finish its writes when the disk fills. Writes are refused while less
  // than this is free besides the reserve. Default: 0, a sixteenth of the file system, at
  // least 1 MiB and at most 64 MiB.
  uint64_t space_reserve_bytes = 0;
  // Where the store tells the operator that the disk filled, and that space returned.
  // Default: standard error.
  std::function<void(std::string_view line)> space_log = {};
};

// Whether the store refuses writes because its disk is (nearly) full.
struct SpaceState {
  bool refusing = false;        // writes get Errc::kNoSpace until space returns
  uint64_t free_bytes = 0;      // free on the data folder's file system, besides the reserve
  uint64_t reserve_bytes = 0;   // the reserve's size (held or released)
  bool reserve_held = false;    // the reserve file is in place
  uint64_t refused_writes = 0;  // writes refused for a full disk since the store opened
  uint64_t full_episodes = 0;   // times the disk was found full since the store opened
};

struct ScanStats {
  uint64_t opened = 0;  // responses that decrypted and authenticated
  uint64_t forged = 0;  // responses that failed authentication (tampered or foreign)
};

class Store {
 public:
  using Done = GroupCommitter::Done;
  using ResponseFn = std::function<void(std::string_view survey_id, std::string_view plaintext)>;

  // Opens the database in options.dir (creating it only as options.create allows) and checks
  // `key` against the key-check record, writing that record when the database is new.
  // RocksDB's damage checks stay on: paranoid checks, block checksums, and a write-ahead log
  // replayed only while intact (a torn last record, never acknowledged, is dropped; damage
  // anywhere before it refuses the open).
  // Errc::kMissing if there is no database and none may be made; kEmptied if `dir` is missing
  // or empty while the held-data marker exists; kIncomplete for a half-made database (files
  // without CURRENT, a column family or the key-check record); kWalDamaged if the write-ahead
  // log is damaged before its end (`candour repair` salvages); kCorrupt for other damage;
  // kWrongKey if the folder was written under another key; kLocked if another process has it
  // open; kIo for other failures. On failure `detail`, when given, receives what was found
  // (RocksDB's words, how many writes the damaged log holds), for the operator.
  // KRotating while a key rotation is under way (store/key_rotation.h); `detail` then
  // receives its old and its new key file, one a line.
  [[nodiscard]] static boost::system::result<std::unique_ptr<Store>> Open(
      const StoreOptions& options, crypto::DataKey key, std::string* detail = nullptr);

  // True if `dir` already holds a Candour database (used to refuse a silently new key).
  static bool Exists(const std::filesystem::path& dir);

  // Salvages a damaged database in options.dir (options.create and the key are not used):
  // never run automatically. A database that opens as it is is left untouched (needed false).
  // A damaged write-ahead log is replayed skipping what cannot be read, and what was read is
  // written to tables; if the database still cannot be opened (a lost CURRENT, a damaged
  // MANIFEST), RocksDB's RepairDB rebuilds it from its files.
  // kMissing if there is no database; kLocked if it is open elsewhere; kCorrupt if nothing
  // could make it open; kIo for other failures.
  struct RepairReport {
    bool needed = false;       // false: it opened as it was, nothing was changed
    bool rebuilt = false;      // RepairDB rebuilt it (CURRENT, MANIFEST or tables damaged)
    uint64_t writes_read = 0;  // writes replayed from the damaged log
    // Writes lost inside the damaged log: the gaps in the sequence numbers of what was read
    // (each write is one response, one spent code or one record; which cannot be told).
    uint64_t writes_lost = 0;
    // Damage lay where no later write bounds it (the log's start or end, or outside the log):
    // how many writes it held cannot be known.
    bool lost_unknown = false;
  };
  [[nodiscard]] static boost::system::result<RepairReport> Repair(const StoreOptions& options);

  // Writes everything queued, then closes the database.
  virtual ~Store() = default;

  // Survey definitions (JSON text; not personal data). Writes are synced.
  [[nodiscard]] virtual boost::system::error_code PutSurvey(std::string_view id,
                                                            std::string_view definition) = 0;
  // Returns the definition, or nullopt if there is none. kIo/kCorrupt on failure.
  [[nodiscard]] virtual boost::system::result<std::optional<std::string>> GetSurvey(
      std::string_view id) = 0;
  // Returns every (id, definition), ordered by id.
  [[nodiscard]] virtual boost::system::result<std::vector<std::pair<std::string, std::string>>>
  ListSurveys() = 0;

  // Queues one response for a durable write shared with other concurrent submissions.
  // On success `done` runs exactly once, on the committer thread, after the write-ahead log
  // holding the response is synced (empty error) or the write failed (kIo).
  // Returns kOverloaded when too many are waiting, kClosed while shutting down, kInvalid for
  // an id containing NUL; `done` is then never called.
  [[nodiscard]] virtual boost::system::error_code SubmitResponse(std::string survey_id,
                                                                 std::string plaintext,
                                                                 Done done) = 0;

  // Writes many responses in one synced batch, all or none (imports). Blocks.
  [[nodiscard]] virtual boost::system::error_code PutResponses(
      std::string_view survey_id, const std::vector<std::string>& plaintexts) = 0;

  // Writes responses and meta records in one synced batch, all or none even if the process
  // dies part-way (an import and the record that it was done). kInvalid as for PutMetas.
  [[nodiscard]] virtual boost::system::error_code PutResponsesAndMetas(
      std::string_view survey_id, const std::vector<std::string>& plaintexts,
      const std::vector<std::pair<std::string, std::string>>& records) = 0;

  // A keyed BLAKE2b-256 digest of `bytes` (64 hex digits) under a random secret kept sealed in
  // this database (made on first use): equal bytes give equal digests here, and nobody without
  // the data key can compute one, so a stolen folder cannot confirm a guess at a small file's
  // content. The secret is the meta record "key-check/digest", sealed like the key-check
  // record: a key rotation must re-seal it, or later digests fail (kWrongKey), never silently
  // differ. kIo/kCorrupt on failure; kWrongKey if the secret does not open.
  [[nodiscard]] virtual boost::system::result<std::string> Digest(std::string_view bytes) = 0;

  // Decrypts every stored response and calls fn for each one that authenticates, in key
  // order (which is random). Forged records are counted, never passed to fn. With threads > 1
  // the key space is split between that many threads and fn is called concurrently.
  [[nodiscard]] virtual boost::system::result<ScanStats> ScanResponses(const ResponseFn& fn,
                                                                       int threads = 1) = 0;

  // Small named records of the service itself (e.g. what a release published), synced.
  // Keys starting with "key-check" are reserved. kInvalid for a reserved key.
  [[nodiscard]] virtual boost::system::error_code PutMeta(std::string_view key,
                                                          std::string_view value) = 0;
  // Writes many records in one synced batch, all or none. kInvalid for a reserved key.
  [[nodiscard]] virtual boost::system::error_code PutMetas(
      const std::vector<std::pair<std::string, std::string>>& records) = 0;
  // The record, or nullopt if there is none. kIo/kCorrupt on failure.
  [[nodiscard]] virtual boost::system::result<std::optional<std::string>> GetMeta(
      std::string_view key) = 0;

  // Removes the order of writes from disk: flushes every memtable (so the write-ahead logs
  // that hold recent writes, in order, are deleted) and rewrites every file at the bottom
  // level, where RocksDB zeroes the sequence number it keeps per write. Afterwards nothing on
  // disk says which response, code or record was written before which. Blocks (seconds at a
  // million responses); run it from a background thread. kIo on failure.
  [[nodiscard]] virtual boost::system::error_code Scrub() = 0;

  virtual CommitStats GetCommitStats() const = 0;

  // The disk's state as the store sees it (store/space_guard.h). While `refusing`,
  // every write returns Errc::kNoSpace at once (a response's `done` gets it), and reads go on.
  // The store leaves that state by itself once space returns. Default: never refusing.
  virtual SpaceState Space() const { return {}; }

  // pkg: backups (store/backup.h). Writes a consistent, openable copy of the database to
  // `dir`, which must not exist (its parent must), while writes go on: every write
  // acknowledged before the call is in it. Table files are hard-linked when `dir` is on the
  // same file system, copied otherwise. Then copies into it `data_files`, files the data
  // folder holds beside the database (e.g. the audit log; one that does not exist is
  // skipped). kInvalid if `dir` exists or its parent does not (and from a Store that cannot
  // make copies); kIo on failure, leaving nothing at `dir`.
  [[nodiscard]] virtual boost::system::error_code Checkpoint(
      const std::filesystem::path& dir, const std::vector<std::string>& data_files);
};

}  // namespace candour::store
