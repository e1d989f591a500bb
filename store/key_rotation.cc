#include "store/key_rotation.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <memory>
#include <optional>

#include "crypto/aead.h"
#include "crypto/random_pool.h"
#include "store/data_folder.h"
#include "store/errc.h"
#include "store/rocks_options.h"
#include "store/sealed_records.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using boost::system::error_code;
using internal::FromStatus;
using internal::RotationRecord;

// The database open for a rotation; closes it when destroyed.
class RotationDb {
 public:
  RotationDb() = default;
  RotationDb(const RotationDb&) = delete;
  RotationDb& operator=(const RotationDb&) = delete;
  ~RotationDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    if (db_) db_->Close();
  }

  error_code Open(const fs::path& dir, std::string* detail) {
    switch (InspectFolder(dir)) {
      case FolderState::kMissing:
      case FolderState::kEmpty:
        return Errc::kMissing;
      case FolderState::kPartial:
        return Errc::kIncomplete;
      case FolderState::kDatabase:
        break;
    }
    rocksdb::DB* raw = nullptr;
    const auto s = rocksdb::DB::Open(internal::DatabaseOptions(), dir.string(),
                                     internal::Families(), &handles_, &raw);
    if (!s.ok()) {
      *detail = "RocksDB: " + s.ToString();
      return FromStatus(s);
    }
    db_.reset(raw);
    return {};
  }

  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* responses() const { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* meta() const { return handles_[3]; }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// Re-seals one record under `to`: a fresh nonce, the same associated data.
class Resealer {
 public:
  Resealer(const crypto::DataKey& from, const crypto::DataKey& to) : from_(from), to_(to) {}

  // The record re-sealed, or nullopt if it does not open under `from`.
  std::optional<std::string> Reseal(std::string_view sealed, const std::string& ad) {
    auto plain = crypto::Open(from_, sealed, ad);
    if (!plain) return std::nullopt;
    std::array<uint8_t, crypto::kNonceBytes> nonce{};
    random_.Fill(nonce);
    std::string out;
    crypto::SealTo(to_, nonce, *plain, ad, &out);
    sodium_memzero(plain->data(), plain->size());
    return out;
  }

 private:
  const crypto::DataKey& from_;
  const crypto::DataKey& to_;
  crypto::RandomPool random_;
};

error_code SyncedWrite(rocksdb::DB& db, rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromStatus(db.Write(wo, batch));
}

// Which key the key-check record opens under: 0 neither, 1 `a`, 2 `b`. kIo/kCorrupt, or
// kIncomplete when there is no such record.
boost::system::result<int> KeyCheckOpens(RotationDb& r, const crypto::DataKey& a,
                                         const crypto::DataKey& b) {
  std::string sealed;
  const auto s = r.db().Get(rocksdb::ReadOptions(), r.meta(), internal::kKeyCheckKey, &sealed);
  if (s.IsNotFound()) return Errc::kIncomplete;
  if (!s.ok()) return FromStatus(s);
  const std::string ad = std::string(internal::kMetaAd) + internal::kKeyCheckKey;
  for (int i = 1; i <= 2; ++i) {
    auto opened = crypto::Open(i == 1 ? a : b, sealed, ad);
    if (opened && *opened == internal::kKeyCheckPlaintext) return i;
  }
  return 0;
}

// Re-seals the responses after r->done, in key order, a batch per synced write, each carrying
// the record's new progress.
error_code ResealResponses(RotationDb& db, RotationRecord* record, Resealer& resealer,
                           const RotationOptions& options, RotationReport* report) {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  // The iterator reads the database as it was when made: what this run writes is not seen.
  std::unique_ptr<rocksdb::Iterator> it(db.db().NewIterator(ro, db.responses()));
  if (record->done.empty()) {
    it->SeekToFirst();
  } else {
    it->Seek(record->done);
    if (it->Valid() && it->key() == rocksdb::Slice(record->done)) it->Next();
  }
  std::string ad;
  while (it->Valid()) {
    rocksdb::WriteBatch batch;
    size_t n = 0;
    for (; it->Valid() && n < options.batch_responses; it->Next(), ++n) {
      const std::string_view key(it->key().data(), it->key().size());
      ad.assign(internal::kResponsesAd).append(key);
      auto resealed = resealer.Reseal(std::string_view(it->value().data(), it->value().size()), ad);
      if (resealed) {
        if (auto s = batch.Put(db.responses(), it->key(), *resealed); !s.ok()) return FromStatus(s);
        ++report->resealed;
      } else {
        ++report->forged;  // left as it is: it opened under no key before, nor will after
      }
      record->done.assign(key);
    }
    if (!it->status().ok()) return FromStatus(it->status());
    if (auto s = batch.Put(db.meta(), internal::kRotationKey, internal::FormatRotation(*record));
        !s.ok()) {
      return FromStatus(s);
    }
    if (auto ec = SyncedWrite(db.db(), &batch)) return ec;
    if (options.on_batch && !options.on_batch(report->resealed)) return Errc::kClosed;
  }
  return FromStatus(it->status());
}

// The last write: the key-check record and the digest secret under the new key, and the
// rotation record deleted.
error_code Finish(RotationDb& db, Resealer& resealer, const crypto::DataKey& new_key) {
  rocksdb::WriteBatch batch;
  const std::string check_ad = std::string(internal::kMetaAd) + internal::kKeyCheckKey;
  std::array<uint8_t, crypto::kNonceBytes> nonce{};
  crypto::RandomPool random;
  random.Fill(nonce);
  if (auto s = batch.Put(db.meta(), internal::kKeyCheckKey,
                         crypto::Seal(new_key, nonce, internal::kKeyCheckPlaintext, check_ad));
      !s.ok()) {
    return FromStatus(s);
  }
  std::string digest;
  const auto s = db.db().Get(rocksdb::ReadOptions(), db.meta(), internal::kDigestKeyKey, &digest);
  if (!s.ok() && !s.IsNotFound()) return FromStatus(s);
  if (s.ok()) {
    auto resealed =
        resealer.Reseal(digest, std::string(internal::kMetaAd) + internal::kDigestKeyKey);
    if (!resealed) return Errc::kWrongKey;  // the key-check opened, so it was tampered with
    if (auto put = batch.Put(db.meta(), internal::kDigestKeyKey, *resealed); !put.ok()) {
      return FromStatus(put);
    }
  }
  if (auto del = batch.Delete(db.meta(), internal::kRotationKey); !del.ok()) return FromStatus(del);
  return SyncedWrite(db.db(), &batch);
}

// Rewrites the responses and meta records so that the old ciphertexts leave the live files.
error_code Compact(RotationDb& db) {
  rocksdb::FlushOptions flush;
  flush.wait = true;
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (rocksdb::ColumnFamilyHandle* cf : {db.responses(), db.meta()}) {
    if (auto s = db.db().Flush(flush, cf); !s.ok()) return FromStatus(s);
    if (auto s = db.db().CompactRange(compact, cf, nullptr, nullptr); !s.ok()) {
      return FromStatus(s);
    }
  }
  return {};
}

}  // namespace

boost::system::result<RotationReport> RotateKey(const RotationOptions& options,
                                                const crypto::DataKey& old_key,
                                                const crypto::DataKey& new_key,
                                                std::string* detail) {
  std::string ignored;
  if (!detail) detail = &ignored;
  const std::string from = internal::KeyId(old_key), to = internal::KeyId(new_key);
  const std::string old_file = fs::absolute(options.old_key_file).string();
  const std::string new_file = fs::absolute(options.new_key_file).string();
  if (from == to || old_file.find('\n') != std::string::npos ||
      new_file.find('\n') != std::string::npos) {
    return Errc::kInvalid;
  }
  RotationDb db;
  if (auto ec = db.Open(options.dir, detail)) return ec;
  std::optional<RotationRecord> record;
  if (auto ec = internal::ReadRotation(db.db(), db.meta(), &record)) return ec;
  RotationReport report;
  auto opens = KeyCheckOpens(db, old_key, new_key);
  if (!opens) return opens.error();
  if (record) {
    if (record->from != from || record->to != to || *opens != 1) {
      *detail = record->old_file + "\n" + record->new_file;
      return Errc::kWrongKey;
    }
    report.resumed = true;
  } else {
    if (*opens == 2) {
      report.already_done = true;
      return report;
    }
    if (*opens != 1) return Errc::kWrongKey;
    record = RotationRecord{from, to, "", old_file, new_file};
    rocksdb::WriteBatch batch;
    if (auto s = batch.Put(db.meta(), internal::kRotationKey, internal::FormatRotation(*record));
        !s.ok()) {
      return FromStatus(s);
    }
    if (auto ec = SyncedWrite(db.db(), &batch)) return ec;
  }
  Resealer resealer(old_key, new_key);
  if (auto ec = ResealResponses(db, &*record, resealer, options, &report)) return ec;
  if (auto ec = Finish(db, resealer, new_key)) return ec;
  report.compacted = !Compact(db);  // the rotation is complete whether or not this works
  return report;
}

}  // namespace candour::store
