#include "store/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/utilities/debug.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "store/errc.h"
#include "tests/temp_dir.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using boost::system::error_code;
using candour::testing::TempDir;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { key_bytes_.fill(7); }

  crypto::DataKey Key() const { return crypto::DataKey::FromBytes(key_bytes_); }
  std::unique_ptr<Store> OpenStore() {
    auto store = Store::Open({.dir = dir_, .create = true}, Key());
    EXPECT_TRUE(store.has_value()) << store.error().message();
    return store ? std::move(*store) : nullptr;
  }
  std::multimap<std::string, std::string> All(Store& store, ScanStats* stats = nullptr) {
    std::multimap<std::string, std::string> out;
    auto scanned = store.ScanResponses([&](std::string_view survey, std::string_view plaintext) {
      out.emplace(std::string(survey), std::string(plaintext));
    });
    EXPECT_TRUE(scanned.has_value());
    if (stats && scanned) *stats = *scanned;
    return out;
  }

  const TempDir temp_{"store"};
  const fs::path dir_ = temp_.path();
  std::array<uint8_t, crypto::DataKey::kBytes> key_bytes_{};
};

TEST_F(StoreTest, SubmittedResponsesSurviveReopen) {
  {
    auto store = OpenStore();
    std::atomic<int> acked{0};
    for (int i = 0; i < 50; ++i) {
      ASSERT_FALSE(store->SubmitResponse(i % 2 ? "a" : "b", "answer " + std::to_string(i),
                                         [&](error_code ec) {
                                           EXPECT_FALSE(ec);
                                           ++acked;
                                         }));
    }
    store.reset();  // drains the queue
    EXPECT_EQ(acked.load(), 50);
  }
  auto store = OpenStore();
  ScanStats stats;
  const auto all = All(*store, &stats);
  EXPECT_EQ(stats.opened, 50u);
  EXPECT_EQ(stats.forged, 0u);
  EXPECT_EQ(all.count("a"), 25u);
  EXPECT_EQ(all.count("b"), 25u);
}

TEST_F(StoreTest, WrongKeyIsRefusedAtOpen) {
  OpenStore().reset();
  auto other = Store::Open({.dir = dir_, .create = true}, crypto::DataKey::Generate());
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error(), Errc::kWrongKey);
}

TEST_F(StoreTest, SecondOpenOfTheSameFolderIsLocked) {
  auto first = OpenStore();
  auto second = Store::Open({.dir = dir_, .create = true}, Key());
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error(), Errc::kLocked);
}

TEST_F(StoreTest, ExistsOnlyAfterCreation) {
  EXPECT_FALSE(Store::Exists(dir_));
  OpenStore().reset();
  EXPECT_TRUE(Store::Exists(dir_));
}

TEST_F(StoreTest, SurveysRoundTripInIdOrder) {
  auto store = OpenStore();
  ASSERT_FALSE(store->PutSurvey("zeta", "{\"z\":1}"));
  ASSERT_FALSE(store->PutSurvey("alpha", "{\"a\":1}"));
  auto got = store->GetSurvey("zeta");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value_or(""), "{\"z\":1}");
  auto missing = store->GetSurvey("nope");
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
  auto list = store->ListSurveys();
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].first, "alpha");
}

TEST_F(StoreTest, MetaRecordsRoundTripAndTheKeyCheckIsReserved) {
  {
    auto store = OpenStore();
    ASSERT_FALSE(store->PutMeta("published/demo", "{}"));
    EXPECT_EQ(store->PutMeta("key-check", "x"), Errc::kInvalid);
  }
  auto store = OpenStore();  // the key check still passes: it was not overwritten
  auto got = store->GetMeta("published/demo");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value_or(""), "{}");
  EXPECT_FALSE(store->GetMeta("nothing")->has_value());
}

TEST_F(StoreTest, PutResponsesWritesAllAtOnce) {
  auto store = OpenStore();
  ASSERT_FALSE(store->PutResponses("imp", {"one", "two", "three"}));
  EXPECT_EQ(All(*store).count("imp"), 3u);
}

TEST_F(StoreTest, NulInSurveyIdIsInvalid) {
  auto store = OpenStore();
  EXPECT_EQ(store->SubmitResponse(std::string("a\0b", 3), "x", [](error_code) { ADD_FAILURE(); }),
            Errc::kInvalid);
  EXPECT_EQ(store->PutResponses(std::string("a\0b", 3), {"x"}), Errc::kInvalid);
}

// Reads the raw responses column family, bypassing the Store, as an attacker with the disk would.
std::vector<std::pair<std::string, std::string>> RawResponses(const fs::path& dir) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, {}}, {"surveys", {}}, {"responses", {}}, {"meta", {}}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  EXPECT_TRUE(rocksdb::DB::Open({}, dir.string(), families, &handles, &db).ok());
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}, handles[2]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  it.reset();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
  return out;
}

TEST_F(StoreTest, DiskHoldsNoPlaintextAndKeysAreRandom) {
  {
    auto store = OpenStore();
    std::vector<std::string> answers;
    for (int i = 0; i < 20; ++i) answers.push_back("canary-answer-" + std::to_string(i));
    ASSERT_FALSE(store->PutResponses("s", answers));
  }
  const auto raw = RawResponses(dir_);
  ASSERT_EQ(raw.size(), 20u);
  for (const auto& [k, v] : raw) {
    EXPECT_EQ(k.size(), 2u + 16u);  // "s", NUL, 16 random bytes
    EXPECT_EQ(v.find("canary"), std::string::npos);
  }
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes.find("canary-answer"), std::string::npos) << entry.path();
  }
}

TEST_F(StoreTest, SwappedCiphertextsFailAuthentication) {
  { ASSERT_FALSE(OpenStore()->PutResponses("s", {"first", "second"})); }
  auto raw = RawResponses(dir_);
  ASSERT_EQ(raw.size(), 2u);
  {
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}}, {"surveys", {}}, {"responses", {}}, {"meta", {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open({}, dir_.string(), families, &handles, &db).ok());
    ASSERT_TRUE(db->Put({}, handles[2], raw[0].first, raw[1].second).ok());
    ASSERT_TRUE(db->Put({}, handles[2], raw[1].first, raw[0].second).ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  auto store = OpenStore();
  ScanStats stats;
  EXPECT_TRUE(All(*store, &stats).empty());
  EXPECT_EQ(stats.forged, 2u);
  EXPECT_EQ(stats.opened, 0u);
}

// RocksDB numbers every write; until Scrub, those numbers order responses and codes in time.
TEST_F(StoreTest, ScrubLeavesNoWriteOrderOnDisk) {
  {
    auto store = OpenStore();
    for (int i = 0; i < 20; ++i) {
      ASSERT_FALSE(store->PutResponses("s", {"response " + std::to_string(i)}));
      ASSERT_FALSE(store->PutMeta("code/s/" + std::to_string(i), "spent"));
    }
    ASSERT_FALSE(store->Scrub());
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, {}}, {"surveys", {}}, {"responses", {}}, {"meta", {}}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly({}, dir_.string(), families, &handles, &db).ok());
  size_t versions = 0;
  for (size_t cf : {2u, 3u}) {
    std::vector<rocksdb::KeyVersion> all;
    ASSERT_TRUE(
        rocksdb::GetAllKeyVersions(db, handles[cf], rocksdb::Slice(), rocksdb::Slice(), 1000, &all)
            .ok());
    for (const auto& v : all) EXPECT_EQ(v.sequence, 0u) << v.user_key;
    versions += all.size();
  }
  EXPECT_GE(versions, 40u);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
  // No write-ahead log still holds the writes (a fresh one may exist, empty).
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().extension() == ".log") {
      EXPECT_EQ(fs::file_size(entry.path()), 0u) << entry.path();
    }
  }
}

TEST_F(StoreTest, ConcurrentSubmittersShareSyncs) {
  auto store = OpenStore();
  std::atomic<int> acked{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        while (store->SubmitResponse("c", "x", [&](error_code ec) {
          if (!ec) ++acked;
        })) {
          std::this_thread::yield();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  store.reset();
  EXPECT_EQ(acked.load(), 1600);
  auto reopened = OpenStore();
  EXPECT_EQ(All(*reopened).count("c"), 1600u);
}

}  // namespace
}  // namespace candour::store
