// Internal to store/: the RocksDB options every open of a Candour database uses, its column
// families, and the WAL filter that counts what a damaged log's replay could not read.
// Not part of the module's interface (RocksDB types never leave store/).
// Thread-safe: the functions are pure; a WriteGapCounter is used by one open at a time.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/status.h>
#include <rocksdb/wal_filter.h>

#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace candour::store::internal {

// RocksDB's status as one of ours (store/errc.h).
boost::system::error_code FromStatus(const rocksdb::Status& s);

// Database options: nothing is created (the caller sets create_if_missing on purpose),
// paranoid checks on, and a write-ahead log replayed only while intact: RocksDB's
// kTolerateCorruptedTailRecords drops a torn last record (a crash mid-write, never synced,
// so never acknowledged) but refuses damage before it, where kPointInTimeRecovery (RocksDB's
// default) would silently stop the replay there and drop every acknowledged write after it.
rocksdb::DBOptions DatabaseOptions();

// The column families in order: default, surveys, responses, meta; block checksums on.
std::vector<rocksdb::ColumnFamilyDescriptor> Families();

// Counts, during a replay that skips damaged records, the writes read and the writes lost:
// each write batch carries its first sequence number and its count, and every write takes one
// number, so a jump between consecutive batches is exactly the writes that were skipped.
class WriteGapCounter final : public rocksdb::WalFilter {
 public:
  WalProcessingOption LogRecordFound(unsigned long long log_number,
                                     const std::string& log_file_name,
                                     const rocksdb::WriteBatch& batch,
                                     rocksdb::WriteBatch* new_batch, bool* batch_changed) override;
  const char* Name() const override { return "candour.WriteGapCounter"; }

  uint64_t read() const { return read_; }
  uint64_t lost() const { return lost_; }

 private:
  bool any_ = false;
  uint64_t next_ = 0;  // the sequence number the next batch should start at
  uint64_t read_ = 0;
  uint64_t lost_ = 0;
};

}  // namespace candour::store::internal
