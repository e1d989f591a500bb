// The RocksDB implementation of Store.
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <thread>

#include "crypto/aead.h"
#include "crypto/random_pool.h"
#include "store/checkpoint_db.h"
#include "store/data_folder.h"
#include "store/errc.h"
#include "store/rocks_options.h"
#include "store/sealed_records.h"
#include "store/space_files.h"
#include "store/space_guard.h"
#include "store/store.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using boost::system::error_code;

constexpr size_t kIdBytes = 16;
// The sealed records' names, shared with key rotation (store/sealed_records.h).
using internal::kDigestKeyKey;
using internal::kKeyCheckKey;
using internal::kKeyCheckPlaintext;
using internal::kMetaAd;
using internal::kResponsesAd;

using internal::FromStatus;

std::string ResponseAd(std::string_view key) { return std::string(kResponsesAd).append(key); }

class RocksStore final : public Store {
 public:
  RocksStore(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles,
             crypto::DataKey key, GroupCommitterOptions commit, std::unique_ptr<SpaceGuard> guard,
             std::unique_ptr<rocksdb::Env> env)
      : key_(std::move(key)),
        guard_(std::move(guard)),
        env_(std::move(env)),
        db_(std::move(db)),
        handles_(std::move(handles)),
        committer_(commit,
                   [this](std::span<GroupCommitter::Record> batch) { return WriteBatch(batch); }) {}

  ~RocksStore() override {
    committer_.Close();
    guard_->Stop();  // Its thread resumes db_
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
  }

  // Checks the key against the key-check record; writes that record when `creating`, and
  // otherwise takes its absence for a half-made database (kIncomplete).
  error_code CheckKey(bool creating) {
    std::string sealed;
    const auto s = db_->Get(rocksdb::ReadOptions(), meta(), kKeyCheckKey, &sealed);
    const std::string ad = std::string(kMetaAd) + kKeyCheckKey;
    if (s.IsNotFound()) {
      if (!creating) return Errc::kIncomplete;
      std::array<uint8_t, crypto::kNonceBytes> nonce{};
      Random(nonce);
      rocksdb::WriteBatch batch;
      batch.Put(meta(), kKeyCheckKey, crypto::Seal(key_, nonce, kKeyCheckPlaintext, ad));
      return WriteSynced(&batch);
    }
    if (!s.ok()) return FromStatus(s);
    auto opened = crypto::Open(key_, sealed, ad);
    if (!opened || *opened != kKeyCheckPlaintext) return Errc::kWrongKey;
    return {};
  }

  // Errc::kRotating while a key rotation is under way (store/key_rotation.h).
  error_code RefuseUnfinishedRotation(std::string* detail) {
    return internal::RefuseUnfinishedRotation(*db_, meta(), detail);
  }

  error_code PutSurvey(std::string_view id, std::string_view definition) override {
    rocksdb::WriteBatch batch;
    batch.Put(surveys(), id, definition);
    return WriteSynced(&batch);
  }

  boost::system::result<std::optional<std::string>> GetSurvey(std::string_view id) override {
    return Get(surveys(), id);
  }

  boost::system::result<std::vector<std::pair<std::string, std::string>>> ListSurveys() override {
    std::vector<std::pair<std::string, std::string>> out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), surveys()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
    if (!it->status().ok()) return FromStatus(it->status());
    return out;
  }

  error_code SubmitResponse(std::string survey_id, std::string plaintext, Done done) override {
    if (survey_id.find('\0') != std::string::npos) return Errc::kInvalid;
    if (!guard_->Admit()) return Errc::kNoSpace;  // Refused at once, not queued
    return committer_.Enqueue({std::move(survey_id), std::move(plaintext), std::move(done)});
  }

  error_code PutResponses(std::string_view survey_id,
                          const std::vector<std::string>& plaintexts) override {
    if (survey_id.find('\0') != std::string::npos) return Errc::kInvalid;
    rocksdb::WriteBatch batch;
    std::string key, value;
    for (const std::string& p : plaintexts) {
      SealResponse(survey_id, p, &key, &value);
      batch.Put(responses(), key, value);
    }
    return WriteSynced(&batch);
  }

  error_code PutResponsesAndMetas(
      std::string_view survey_id, const std::vector<std::string>& plaintexts,
      const std::vector<std::pair<std::string, std::string>>& records) override {
    if (survey_id.find('\0') != std::string::npos) return Errc::kInvalid;
    rocksdb::WriteBatch batch;
    std::string key, value;
    for (const std::string& p : plaintexts) {
      SealResponse(survey_id, p, &key, &value);
      if (auto s = batch.Put(responses(), key, value); !s.ok()) return FromStatus(s);
    }
    for (const auto& [k, v] : records) {
      if (k.starts_with(kKeyCheckKey)) return Errc::kInvalid;
      if (auto s = batch.Put(meta(), k, v); !s.ok()) return FromStatus(s);
    }
    return WriteSynced(&batch);
  }

  boost::system::result<std::string> Digest(std::string_view bytes) override {
    auto secret = DigestSecret();
    if (!secret) return secret.error();
    std::array<uint8_t, crypto_generichash_BYTES> digest{};
    crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const uint8_t*>(bytes.data()),
                       bytes.size(), secret->data(), secret->size());
    sodium_memzero(secret->data(), secret->size());
    std::string hex(digest.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    hex.pop_back();
    return hex;
  }

  boost::system::result<ScanStats> ScanResponses(const ResponseFn& fn, int threads) override {
    threads = std::clamp(threads, 1, 16);
    std::vector<ScanStats> stats(static_cast<size_t>(threads));
    std::vector<rocksdb::Status> status(static_cast<size_t>(threads));
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) {
      workers.emplace_back([&, t] { status[t] = ScanSlice(fn, t, threads, &stats[t]); });
    }
    status[0] = ScanSlice(fn, 0, threads, &stats[0]);
    for (std::thread& w : workers) w.join();
    ScanStats total;
    for (int t = 0; t < threads; ++t) {
      if (!status[t].ok()) return FromStatus(status[t]);
      total.opened += stats[t].opened;
      total.forged += stats[t].forged;
    }
    return total;
  }

  // Scans the keys whose first random byte falls in this slice of 0..255, for every survey.
  rocksdb::Status ScanSlice(const ResponseFn& fn, int slice, int slices, ScanStats* stats) {
    const int lo = 256 * slice / slices, hi = 256 * (slice + 1) / slices;
    rocksdb::ReadOptions ro;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, responses()));
    std::string ad, seek;
    for (it->SeekToFirst(); it->Valid();) {
      const std::string_view key(it->key().data(), it->key().size());
      const size_t nul = key.find('\0');
      if (key == internal::kSpacePadKey) {  // Not a response (space_files.h)
        it->Next();
        continue;
      }
      if (nul == std::string_view::npos || nul + 1 >= key.size()) {
        if (slice == 0) ++stats->forged;  // not a key we write: count it once
        it->Next();
        continue;
      }
      const int first = static_cast<unsigned char>(key[nul + 1]);
      if (first < lo || first >= hi) {
        // Jump to this slice of this survey, or past the survey ('\1' sorts after '\0').
        seek.assign(key.substr(0, nul));
        if (first < lo) {
          seek.push_back('\0');
          seek.push_back(static_cast<char>(lo));
        } else {
          seek.push_back('\1');
        }
        it->Seek(seek);
        continue;
      }
      ad.assign(kResponsesAd).append(key);
      auto opened =
          crypto::Open(key_, std::string_view(it->value().data(), it->value().size()), ad);
      if (opened) {
        ++stats->opened;
        fn(key.substr(0, nul), *opened);
      } else {
        ++stats->forged;
      }
      it->Next();
    }
    return it->status();
  }

  CommitStats GetCommitStats() const override { return committer_.Stats(); }
  SpaceState Space() const override { return guard_->State(); }

  error_code Checkpoint(const fs::path& dir, const std::vector<std::string>& files) override {
    return CheckpointDb(*db_, dir, files);  // pkg: store/backup.cc
  }

  error_code PutMeta(std::string_view key, std::string_view value) override {
    return PutMetas({{std::string(key), std::string(value)}});
  }

  error_code PutMetas(const std::vector<std::pair<std::string, std::string>>& records) override {
    rocksdb::WriteBatch batch;
    for (const auto& [key, value] : records) {
      if (key.starts_with(kKeyCheckKey)) return Errc::kInvalid;
      if (auto s = batch.Put(meta(), key, value); !s.ok()) return FromStatus(s);
    }
    return WriteSynced(&batch);
  }

  error_code Scrub() override {
    if (!guard_->Admit()) return Errc::kNoSpace;  // Rewriting every file needs room
    rocksdb::FlushOptions flush;
    flush.wait = true;
    rocksdb::CompactRangeOptions compact;
    compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    for (rocksdb::ColumnFamilyHandle* cf : {surveys(), responses(), meta()}) {
      if (auto s = db_->Flush(flush, cf); !s.ok()) return FromStatus(s);
      if (auto s = db_->CompactRange(compact, cf, nullptr, nullptr); !s.ok()) return FromStatus(s);
    }
    return {};
  }

  boost::system::result<std::optional<std::string>> GetMeta(std::string_view key) override {
    return Get(meta(), key);
  }

 private:
  // Every write goes through here. Refused at once while the disk is full; a write
  // that meets a full disk anyway tells the guard, which resumes RocksDB once there is room.
  error_code WriteSynced(rocksdb::WriteBatch* batch) {
    if (!guard_->Admit()) return Errc::kNoSpace;
    if (guard_->TakePadNeeded() && !internal::WritePad(*db_, responses()).ok()) {
      guard_->NeedPad();  // tried again before the next write
    }
    rocksdb::WriteOptions wo;
    wo.sync = true;
    const rocksdb::Status s = db_->Write(wo, batch);
    if (s.IsNoSpace()) guard_->OnNoSpace(s.ToString());
    return FromStatus(s);
  }

  // The secret Digest is keyed with, made and stored sealed on first use.
  boost::system::result<std::array<uint8_t, crypto_generichash_KEYBYTES>> DigestSecret() {
    std::lock_guard lock(digest_mu_);
    std::array<uint8_t, crypto_generichash_KEYBYTES> secret{};
    const std::string ad = std::string(kMetaAd) + kDigestKeyKey;
    auto stored = Get(meta(), kDigestKeyKey);
    if (!stored) return stored.error();
    if (*stored) {
      auto opened = crypto::Open(key_, **stored, ad);
      if (!opened || opened->size() != secret.size()) return Errc::kWrongKey;
      std::copy(opened->begin(), opened->end(), secret.begin());
      sodium_memzero(opened->data(), opened->size());
      return secret;
    }
    std::array<uint8_t, crypto::kNonceBytes> nonce{};
    Random(nonce);
    Random(secret);
    const std::string_view plain(reinterpret_cast<const char*>(secret.data()), secret.size());
    rocksdb::WriteBatch batch;
    batch.Put(meta(), kDigestKeyKey, crypto::Seal(key_, nonce, plain, ad));
    if (auto ec = WriteSynced(&batch)) return ec;
    return secret;
  }

  // The value under `key`, or nullopt when there is none.
  boost::system::result<std::optional<std::string>> Get(rocksdb::ColumnFamilyHandle* cf,
                                                        std::string_view key) {
    std::string value;
    const auto s = db_->Get(rocksdb::ReadOptions(), cf, key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return FromStatus(s);
    return std::optional<std::string>(std::move(value));
  }

  rocksdb::ColumnFamilyHandle* surveys() const { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* responses() const { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* meta() const { return handles_[3]; }

  void Random(std::span<uint8_t> out) {
    std::lock_guard lock(random_mu_);
    random_.Fill(out);
  }

  // key = survey id, NUL, 16 random bytes; value = sealed plaintext bound to that key.
  void SealResponse(std::string_view survey_id, std::string_view plaintext, std::string* key,
                    std::string* value) {
    std::array<uint8_t, kIdBytes + crypto::kNonceBytes> random{};
    Random(random);
    key->assign(survey_id).push_back('\0');
    key->append(reinterpret_cast<const char*>(random.data()), kIdBytes);
    value->clear();
    crypto::SealTo(key_,
                   std::span<const uint8_t, crypto::kNonceBytes>(random.data() + kIdBytes,
                                                                 crypto::kNonceBytes),
                   plaintext, ResponseAd(*key), value);
  }

  // Runs on the committer thread: one WriteBatch, one synced write for the whole batch.
  error_code WriteBatch(std::span<GroupCommitter::Record> records) {
    std::vector<std::pair<std::string, std::string>> sealed(records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      SealResponse(records[i].survey_id, records[i].plaintext, &sealed[i].first, &sealed[i].second);
    }
    // Within a batch, write in key order (random) rather than arrival order, so that
    // sequence numbers inside one batch say nothing about who came first.
    std::sort(sealed.begin(), sealed.end());
    rocksdb::WriteBatch batch;
    for (const auto& [k, v] : sealed) batch.Put(responses(), k, v);
    return WriteSynced(&batch);
  }

  // Constant after construction.
  const crypto::DataKey key_;
  const std::unique_ptr<SpaceGuard> guard_;  // Before db_, which uses it to the end
  const std::unique_ptr<rocksdb::Env> env_;  // db_'s file system goes through guard_
  const std::unique_ptr<rocksdb::DB> db_;
  const std::vector<rocksdb::ColumnFamilyHandle*> handles_;

  // Protected by random_mu_.
  std::mutex random_mu_;
  crypto::RandomPool random_;

  std::mutex digest_mu_;  // one caller at a time makes the digest secret

  GroupCommitter committer_;  // last: its thread uses everything above
};

}  // namespace

bool Store::Exists(const fs::path& dir) { return InspectFolder(dir) == FolderState::kDatabase; }

namespace {

// A second look at a database whose open found damage, changing nothing: read-only, with a
// replay that skips what it cannot read. If that opens, the damage is in the write-ahead log,
// and the gaps it leaves in the sequence numbers count the writes that would be lost.
std::string DiagnoseDamage(const fs::path& dir, const rocksdb::Status& first, error_code* ec) {
  rocksdb::DBOptions o = internal::DatabaseOptions();
  o.info_log = internal::TolerantInfoLog(dir);  // Never aborts on a full disk
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kSkipAnyCorruptedRecords;
  internal::WriteGapCounter gaps;
  o.wal_filter = &gaps;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const auto s =
      rocksdb::DB::OpenForReadOnly(o, dir.string(), internal::Families(), &handles, &raw);
  std::string detail = "RocksDB: " + first.ToString();
  if (!s.ok()) return detail;
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  *ec = Errc::kWalDamaged;
  if (gaps.lost() > 0) {
    return detail + "; " + std::to_string(gaps.lost()) +
           " acknowledged writes in the log cannot be read, " + std::to_string(gaps.read()) +
           " can";
  }
  return detail + "; the damage is at the start or end of the log (" + std::to_string(gaps.read()) +
         " writes in it can be read)";
}

}  // namespace

boost::system::result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options,
                                                          crypto::DataKey key,
                                                          std::string* detail) {
  std::string ignored;
  if (!detail) detail = &ignored;
  const bool marked = !options.held_data_marker.empty() && HeldDataMarked(options.held_data_marker);
  bool creating = false;
  switch (InspectFolder(options.dir)) {
    case FolderState::kMissing:
    case FolderState::kEmpty:
      if (marked) {
        *detail = options.held_data_marker.string() + " exists";
        return Errc::kEmptied;
      }
      if (!options.create) return Errc::kMissing;
      creating = true;
      break;
    case FolderState::kPartial:
      *detail = "it holds files but no CURRENT";
      return Errc::kIncomplete;
    case FolderState::kDatabase:
      break;
  }
  if (creating) {
    std::error_code fs_ec;
    fs::create_directories(options.dir, fs_ec);
    if (fs_ec) return Errc::kIo;
  }

  rocksdb::DBOptions db_options = internal::DatabaseOptions();
  db_options.create_if_missing = creating;
  db_options.create_missing_column_families = creating;
  const std::vector<rocksdb::ColumnFamilyDescriptor> families = internal::Families();
  if (!creating) {
    // A database whose first open died part-way may lack column families: half-made.
    std::vector<std::string> names;
    const auto listed = rocksdb::DB::ListColumnFamilies(db_options, options.dir.string(), &names);
    if (listed.ok()) {
      for (const auto& f : families) {
        if (std::find(names.begin(), names.end(), f.name) == names.end()) {
          *detail = "its column family \"" + f.name + "\" is missing";
          return Errc::kIncomplete;
        }
      }
    }
  }
  // The reserve, released first if the open needs its room; RocksDB's files, its
  // errors and its info log tied to it (store/space_files.h).
  auto guard = std::make_unique<SpaceGuard>(SpaceGuardOptions{
      .dir = options.dir, .reserve_bytes = options.space_reserve_bytes, .log = options.space_log});
  guard->ReleaseIfLow();
  std::unique_ptr<rocksdb::Env> env =
      rocksdb::NewCompositeEnv(std::make_shared<internal::GuardedFileSystem>(*guard));
  db_options.env = env.get();
  db_options.info_log = internal::TolerantInfoLog(options.dir);
  db_options.listeners.push_back(std::make_shared<internal::SpaceListener>(*guard));
  db_options.avoid_flush_during_shutdown = true;  // the pad is never worth a flush at close
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const auto s = rocksdb::DB::Open(db_options, options.dir.string(), families, &handles, &raw);
  if (!s.ok()) {
    error_code ec = FromStatus(s);
    if (ec == Errc::kCorrupt) {
      *detail = DiagnoseDamage(options.dir, s, &ec);
    } else {
      *detail = "RocksDB: " + s.ToString();
    }
    return ec;
  }
  guard->Start([raw, responses = handles[2]](std::string* why) {
    rocksdb::Status resumed = raw->Resume();
    if (resumed.ok()) resumed = internal::WritePad(*raw, responses);  // its flush took the pad
    if (!resumed.ok()) *why = resumed.ToString();
    return resumed.ok();
  });
  auto store = std::make_unique<RocksStore>(std::unique_ptr<rocksdb::DB>(raw), std::move(handles),
                                            std::move(key), options.commit, std::move(guard),
                                            std::move(env));
  // A key rotation under way is finished by running it again, never opened around.
  if (const error_code ec = store->RefuseUnfinishedRotation(detail)) return ec;
  if (const error_code ec = store->CheckKey(creating)) {
    if (ec == Errc::kIncomplete) *detail = "it has no key-check record";
    return ec;
  }
  if (!options.held_data_marker.empty()) {
    if (const error_code ec = MarkHeldData(options.held_data_marker)) {
      *detail = "cannot write " + options.held_data_marker.string();
      return ec;
    }
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace candour::store
