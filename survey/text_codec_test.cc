#include "survey/text_codec.h"

#include <gtest/gtest.h>

namespace candour::survey {
namespace {

TEST(CodecTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Ça va? Günaydın, dzień dobry 👋"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xe2\x82"));       // truncated
  EXPECT_EQ(CountCodePoints("añb👋"), 4u);
}

TEST(CodecTest, PercentDecoding) {
  EXPECT_EQ(PercentDecode("a+b%20c%2B"), "a b c+");
  EXPECT_EQ(PercentDecode("%e2%82%ac"), "\xe2\x82\xac");
  EXPECT_EQ(PercentDecode("%"), std::nullopt);
  EXPECT_EQ(PercentDecode("%4"), std::nullopt);
  EXPECT_EQ(PercentDecode("%zz"), std::nullopt);
  EXPECT_EQ(PercentEncode("a b/é"), "a%20b%2F%C3%A9");
}

TEST(CodecTest, FormPairs) {
  std::string bad;
  auto pairs = ParseFormPairs("Q60=good&&src=poster-1&empty=&flag", &bad);
  ASSERT_TRUE(pairs.has_value());
  ASSERT_EQ(pairs->size(), 4u);
  EXPECT_EQ((*pairs)[0], (std::pair<std::string, std::string>{"Q60", "good"}));
  EXPECT_EQ((*pairs)[2].second, "");
  EXPECT_EQ((*pairs)[3].first, "flag");
  EXPECT_FALSE(ParseFormPairs("ok=1&Q6%=x", &bad).has_value());
  EXPECT_EQ(bad, "Q6%");
}

TEST(CodecTest, DuplicateJsonKeys) {
  EXPECT_EQ(FindDuplicateJsonKey(R"({"a":1,"b":{"a":2}})"), std::nullopt);
  EXPECT_EQ(FindDuplicateJsonKey(R"({"a":1,"a":2})"), "a");
  EXPECT_EQ(FindDuplicateJsonKey(R"({"answers":{"Q60":"good","Q60":"poor"}})"), "Q60");
  EXPECT_EQ(FindDuplicateJsonKey(R"([{"x":1},{"x":2}])"), std::nullopt);
  EXPECT_EQ(FindDuplicateJsonKey("not json"), std::nullopt);
}

}  // namespace
}  // namespace candour::survey
