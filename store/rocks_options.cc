#include "store/rocks_options.h"

#include <rocksdb/memtablerep.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>

#include "store/errc.h"

namespace candour::store::internal {

boost::system::error_code FromStatus(const rocksdb::Status& s) {
  if (s.ok()) return {};
  if (s.IsCorruption()) return Errc::kCorrupt;
  if (s.IsNoSpace()) return Errc::kNoSpace;
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) return Errc::kLocked;
  return Errc::kIo;
}

rocksdb::DBOptions DatabaseOptions() {
  rocksdb::DBOptions o;
  o.create_if_missing = false;
  o.create_missing_column_families = false;
  o.paranoid_checks = true;  // RocksDB's default, kept on purpose: damage found fails loudly
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  o.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  o.keep_log_file_num = 2;
  o.max_open_files = 512;  // a bounded share of descriptors; the server reserves 1024
  o.max_manifest_file_size = 64 << 20;
  // Responses are only ever written and scanned whole, never looked up one by one, so their
  // memtable is an unsorted vector (sorted once at flush or scan) instead of a skip list:
  // random keys made skip-list inserts the largest single cost of a commit.
  o.allow_concurrent_memtable_write = false;  // required by the vector memtable
  return o;
}

std::vector<rocksdb::ColumnFamilyDescriptor> Families() {
  rocksdb::BlockBasedTableOptions table;
  table.checksum = rocksdb::kXXH3;  // every block checksummed, and checked on every read
  rocksdb::ColumnFamilyOptions cf;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf.force_consistency_checks = true;
  rocksdb::ColumnFamilyOptions responses = cf;
  responses.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
  return {
      {rocksdb::kDefaultColumnFamilyName, cf},
      {"surveys", cf},
      {"responses", responses},
      {"meta", cf},
  };
}

rocksdb::WalFilter::WalProcessingOption WriteGapCounter::LogRecordFound(
    unsigned long long, const std::string&, const rocksdb::WriteBatch& batch, rocksdb::WriteBatch*,
    bool* batch_changed) {
  *batch_changed = false;
  const std::string& rep = batch.Data();
  if (rep.size() >= 12) {  // 8 bytes of first sequence number (little-endian), then the count
    uint64_t sequence = 0;
    for (int i = 7; i >= 0; --i) sequence = (sequence << 8) | static_cast<unsigned char>(rep[i]);
    const uint64_t count = batch.Count();
    if (any_ && sequence > next_) lost_ += sequence - next_;
    next_ = std::max(next_, sequence + count);
    any_ = true;
    read_ += count;
  }
  return WalProcessingOption::kContinueProcessing;
}

}  // namespace candour::store::internal
