#include "stats/response_index.h"

#include <gtest/gtest.h>

namespace candour::stats {
namespace {

TEST(ResponseIndexTest, StoresCodesColumnMajorAndInternsLabels) {
  ResponseIndex index({{"Q60", ColumnSpec::Kind::kCode, 6},
                       {"why", ColumnSpec::Kind::kBitmask, 3},
                       {"ward", ColumnSpec::Kind::kCode, 22}});
  const uint64_t a[] = {2, 0b101, 0};
  const uint64_t b[] = {0, 0, 22};
  index.Add("2026-W47", "poster-1", a);
  index.Add("2026-W48", "poster-1", b);
  index.Add("2026-W47", "", a);
  ASSERT_EQ(index.size(), 3u);
  EXPECT_EQ(index.period_count(), 2u);
  EXPECT_EQ(index.PeriodId(0), index.PeriodId(2));
  EXPECT_EQ(index.PeriodLabel(index.PeriodId(1)), "2026-W48");
  EXPECT_EQ(index.SourceLabel(index.SourceId(2)), "");
  EXPECT_EQ(index.ColumnOf("ward"), 2);
  EXPECT_EQ(index.ColumnOf("nope"), -1);
  EXPECT_EQ(index.Codes(0), (std::vector<uint8_t>{2, 0, 2}));
  EXPECT_EQ(index.Masks(1), (std::vector<uint64_t>{0b101, 0, 0b101}));
  EXPECT_EQ(index.Codes(2), (std::vector<uint8_t>{0, 22, 0}));
  EXPECT_EQ(index.BytesPerResponse(), 2u + 2u + 2u + 8u);
}

}  // namespace
}  // namespace candour::stats
