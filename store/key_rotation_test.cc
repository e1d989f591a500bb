// Key rotation in-process: a rotation stopped after any batch leaves every response opening
// under exactly one key (the one the rotation record names for it), the folder refused until
// the rotation is finished, and the finished folder whole under the new key, its digest secret
// kept; and the refusals (same key, wrong old key, a rotation between other keys).
#include "store/key_rotation.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <map>

#include "crypto/aead.h"
#include "store/errc.h"
#include "store/rocks_options.h"
#include "store/sealed_records.h"
#include "store/store.h"
#include "tests/temp_dir.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;
using candour::testing::TempDir;

crypto::DataKey KeyOf(uint8_t fill) {
  std::array<uint8_t, crypto::DataKey::kBytes> bytes{};
  bytes.fill(fill);
  return crypto::DataKey::FromBytes(bytes);
}

class KeyRotationTest : public ::testing::Test {
 protected:
  static constexpr int kResponses = 1000;

  void SetUp() override {
    auto store = Store::Open({.dir = dir_, .create = true}, KeyOf(1));
    ASSERT_TRUE(store) << store.error().message();
    std::vector<std::string> a, b;
    for (int i = 0; i < kResponses; ++i) (i % 3 ? a : b).push_back("answer " + std::to_string(i));
    ASSERT_FALSE((*store)->PutResponses("a", a));
    ASSERT_FALSE((*store)->PutResponses("b", b));
    auto digest = (*store)->Digest("some file");
    ASSERT_TRUE(digest);
    digest_ = *digest;
  }

  RotationOptions Options(size_t batch = 64) const {
    return {.dir = dir_,
            .old_key_file = dir_.parent_path() / "old.key",
            .new_key_file = dir_.parent_path() / "new.key",
            .batch_responses = batch,
            .on_batch = {}};
  }

  // For each response: 1 if only `a` opens it, 2 if only `b`, 0 or 3 otherwise; and the
  // rotation record, if any.
  std::vector<std::pair<std::string, int>> WhichKey(const crypto::DataKey& a,
                                                    const crypto::DataKey& b,
                                                    std::optional<internal::RotationRecord>* rec) {
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    const auto s = rocksdb::DB::OpenForReadOnly(internal::DatabaseOptions(), dir_.string(),
                                                internal::Families(), &handles, &raw);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::vector<std::pair<std::string, int>> out;
    if (!s.ok()) return out;
    EXPECT_FALSE(internal::ReadRotation(*raw, handles[3], rec));
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handles[2]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string ad = std::string(internal::kResponsesAd) + it->key().ToString();
      const std::string v = it->value().ToString();
      out.emplace_back(it->key().ToString(),
                       (crypto::Open(a, v, ad) ? 1 : 0) + (crypto::Open(b, v, ad) ? 2 : 0));
    }
    it.reset();
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
    return out;
  }

  const TempDir temp_{"rotation"};
  const fs::path dir_ = temp_.path() / "data";
  std::string digest_;
};

TEST_F(KeyRotationTest, StoppedAfterAnyBatchEveryResponseOpensUnderExactlyTheKeyItsMarkerSays) {
  const crypto::DataKey old_key = KeyOf(1), new_key = KeyOf(2);
  uint64_t batches_so_far = 0;
  for (uint64_t stop_after : {1u, 4u, 6u}) {  // after 1, 5 and 11 batches of 64 in all
    batches_so_far += stop_after;
    RotationOptions o = Options();
    uint64_t batches = 0;
    o.on_batch = [&](uint64_t) { return ++batches < stop_after; };
    auto stopped = RotateKey(o, old_key, new_key);
    ASSERT_FALSE(stopped);
    EXPECT_EQ(stopped.error(), Errc::kClosed);

    std::optional<internal::RotationRecord> record;
    const auto keys = WhichKey(old_key, new_key, &record);
    ASSERT_TRUE(record);
    EXPECT_EQ(record->from, internal::KeyId(old_key));
    EXPECT_EQ(record->to, internal::KeyId(new_key));
    ASSERT_EQ(keys.size(), size_t{kResponses});
    size_t under_new = 0;
    for (const auto& [key, which] : keys) {
      EXPECT_EQ(which, key <= record->done ? 2 : 1) << "stopped after " << batches_so_far;
      under_new += which == 2;
    }
    EXPECT_EQ(under_new, batches_so_far * 64);

    // Neither key opens the folder while the rotation is under way; the refusal names both files.
    for (uint8_t fill : {1, 2}) {
      std::string detail;
      auto refused = Store::Open({.dir = dir_}, KeyOf(fill), &detail);
      ASSERT_FALSE(refused);
      EXPECT_EQ(refused.error(), Errc::kRotating);
      EXPECT_EQ(detail, fs::absolute(o.old_key_file).string() + "\n" +
                            fs::absolute(o.new_key_file).string());
    }
  }

  auto finished = RotateKey(Options(), old_key, new_key);
  ASSERT_TRUE(finished) << finished.error().message();
  EXPECT_TRUE(finished->resumed);
  EXPECT_TRUE(finished->compacted);
  EXPECT_EQ(finished->resealed, kResponses - 11u * 64);
  EXPECT_EQ(finished->forged, 0u);

  EXPECT_EQ(Store::Open({.dir = dir_}, KeyOf(1)).error(), Errc::kWrongKey);
  auto store = Store::Open({.dir = dir_}, KeyOf(2));
  ASSERT_TRUE(store) << store.error().message();
  std::map<std::string, int> per_survey;
  auto scanned = (*store)->ScanResponses(
      [&](std::string_view survey, std::string_view) { ++per_survey[std::string(survey)]; });
  ASSERT_TRUE(scanned);
  EXPECT_EQ(scanned->opened, uint64_t{kResponses});
  EXPECT_EQ(scanned->forged, 0u);
  EXPECT_EQ(per_survey["a"] + per_survey["b"], kResponses);
  EXPECT_EQ(per_survey["b"], (kResponses + 2) / 3);
  auto digest = (*store)->Digest("some file");
  ASSERT_TRUE(digest) << digest.error().message();
  EXPECT_EQ(*digest, digest_);  // the secret was re-sealed, not replaced
}

TEST_F(KeyRotationTest, RefusesSameKeyWrongOldKeyAndARotationBetweenOtherKeys) {
  EXPECT_EQ(RotateKey(Options(), KeyOf(1), KeyOf(1)).error(), Errc::kInvalid);
  EXPECT_EQ(RotateKey(Options(), KeyOf(9), KeyOf(2)).error(), Errc::kWrongKey);

  RotationOptions o = Options();
  o.on_batch = [](uint64_t) { return false; };
  EXPECT_EQ(RotateKey(o, KeyOf(1), KeyOf(2)).error(), Errc::kClosed);
  std::string detail;
  EXPECT_EQ(RotateKey(Options(), KeyOf(1), KeyOf(3), &detail).error(), Errc::kWrongKey);
  EXPECT_NE(detail.find("new.key"), std::string::npos) << detail;

  auto done = RotateKey(Options(), KeyOf(1), KeyOf(2));
  ASSERT_TRUE(done) << done.error().message();
  auto again = RotateKey(Options(), KeyOf(1), KeyOf(2));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->already_done);
  EXPECT_EQ(again->resealed, 0u);

  auto store = Store::Open({.dir = dir_}, KeyOf(2));
  ASSERT_TRUE(store);
  EXPECT_EQ(RotateKey(Options(), KeyOf(2), KeyOf(3)).error(), Errc::kLocked);
}

}  // namespace
}  // namespace candour::store
