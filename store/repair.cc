// Store::Repair (store.h): salvaging a damaged database, on the operator's word only.
#include <rocksdb/db.h>

#include <memory>

#include "store/data_folder.h"
#include "store/errc.h"
#include "store/rocks_options.h"
#include "store/store.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using internal::FromStatus;

// Opens `dir` with `o` and closes it; with `flush`, first writes everything replayed into
// tables (so that a damaged log is no longer needed, and is deleted).
rocksdb::Status OpenClose(const fs::path& dir, const rocksdb::DBOptions& o, bool flush) {
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(o, dir.string(), internal::Families(), &handles, &raw);
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::DB> db(raw);
  if (flush) {
    rocksdb::FlushOptions wait;
    wait.wait = true;
    s = db->Flush(wait, handles);
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  const rocksdb::Status closed = db->Close();
  return s.ok() ? closed : s;
}

}  // namespace

boost::system::result<Store::RepairReport> Store::Repair(const StoreOptions& options) {
  RepairReport report;
  const FolderState state = InspectFolder(options.dir);
  if (state == FolderState::kMissing || state == FolderState::kEmpty) return Errc::kMissing;

  const rocksdb::DBOptions normal = internal::DatabaseOptions();
  if (state == FolderState::kDatabase) {
    const rocksdb::Status s = OpenClose(options.dir, normal, false);
    if (s.ok()) return report;  // nothing was wrong
    if (!s.IsCorruption()) return FromStatus(s);
  }
  report.needed = true;

  // First the least drastic: the same database, its log replayed past what cannot be read.
  if (state == FolderState::kDatabase) {
    rocksdb::DBOptions salvage = normal;
    salvage.wal_recovery_mode = rocksdb::WALRecoveryMode::kSkipAnyCorruptedRecords;
    internal::WriteGapCounter gaps;
    salvage.wal_filter = &gaps;
    const rocksdb::Status s = OpenClose(options.dir, salvage, true);
    if (s.ok()) {
      report.writes_read = gaps.read();
      report.writes_lost = gaps.lost();
      report.lost_unknown = gaps.lost() == 0;  // then the damage had no write after it
      return report;
    }
    if (!s.IsCorruption() && !s.IsInvalidArgument()) return FromStatus(s);
  }

  // Then RocksDB's own repair: a new MANIFEST and CURRENT from the tables and logs found.
  report.rebuilt = true;
  report.lost_unknown = true;
  if (auto s = rocksdb::RepairDB(options.dir.string(), normal, internal::Families()); !s.ok()) {
    return FromStatus(s);
  }
  if (auto s = OpenClose(options.dir, normal, true); !s.ok()) {
    return s.IsCorruption() ? Errc::kCorrupt : FromStatus(s);
  }
  return report;
}

}  // namespace candour::store
