// Internal to store/: what ties RocksDB to the SpaceGuard (store/space_guard.h) so that a full
// disk neither stops nor aborts it. Not part of the module's interface (RocksDB types never
// leave store/).
//
// - GuardedFileSystem: the default file system, except that before every append to a file
//   RocksDB writes it asks the guard to release the reserve when the append might not fit.
// - SpaceListener: hears RocksDB stop on a full disk, tells the guard, and turns RocksDB's own
//   recovery off (it polls every 5 s for 64 MiB free, which a small disk never has): the guard
//   resumes it instead.
// - TolerantInfoLog: RocksDB's info log (DATA/LOG), written with plain write(2) and errors
//   ignored. RocksDB's own logger keeps writing after its first ENOSPC, and Debian's build of
//   RocksDB 7.8 (assertions on) then aborts the process in WritableFileWriter.
//
// Thread-safe: RocksDB calls all of these from its threads at once.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/listener.h>

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/space_guard.h"

namespace candour::store::internal {

class GuardedFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  // `guard` must outlive the file system and every file it opens.
  explicit GuardedFileSystem(SpaceGuard& guard);
  static const char* kClassName() { return "CandourGuardedFileSystem"; }
  const char* Name() const override { return kClassName(); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* file,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                                      const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* file,
                                      rocksdb::IODebugContext* dbg) override;

 private:
  SpaceGuard& guard_;
};

class SpaceListener final : public rocksdb::EventListener {
 public:
  // `guard` must outlive the listener's database.
  explicit SpaceListener(SpaceGuard& guard) : guard_(guard) {}
  const char* Name() const override { return "CandourSpaceListener"; }
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) override;
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason reason, rocksdb::Status error,
                            bool* auto_recovery) override;
  // A flush of the responses column family took the pad (WritePad): the next write puts it back.
  void OnFlushCompleted(rocksdb::DB* db, const rocksdb::FlushJobInfo& info) override;

 private:
  SpaceGuard& guard_;
};

// Keeps one memtable from being empty: an empty value under kSpacePadKey in the responses
// column family, written without the log. Resume flushes only memtables that hold something,
// and moves to a new write-ahead log only then; with every memtable empty (after a flush) it
// stays on the log whose append met the full disk, and Debian's RocksDB 7.8 aborts on the next
// append to that log (WritableFileWriter's assertion; reproduced in tests/disk_full_test.cc).
// Not durable and not needed to be: it is written again after every open, flush of its family
// and resume. It is in the family that RocksDB flushes as it fills, so it never keeps an old
// write-ahead log alive (in the default family it kept every log until the next scrub).
// Reads of the responses skip it.
inline constexpr char kSpacePadKey[] = "candour/space-pad";
rocksdb::Status WritePad(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* responses);

// RocksDB's info log in `dir`/LOG, WARN and above, without times (what RocksDB warns about is
// the database's, never a resident's). Past 1 MiB the file is renamed LOG.old and begun again.
// Lines that cannot be written (a full disk) are dropped.
std::shared_ptr<rocksdb::Logger> TolerantInfoLog(const std::filesystem::path& dir);

}  // namespace candour::store::internal
