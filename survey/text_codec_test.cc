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

TEST(CodecTest, Utf8EdgeCases) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));  // NUL is a code point
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));      // U+10FFFF, the last
  EXPECT_TRUE(IsValidUtf8("\xef\xbf\xbd"));          // U+FFFD
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));         // overlong in three bytes
  EXPECT_FALSE(IsValidUtf8("\xf0\x80\x80\xaf"));     // overlong in four bytes
  EXPECT_FALSE(IsValidUtf8("\x80"));                 // a continuation alone
  EXPECT_FALSE(IsValidUtf8("\xc3"));                 // cut at the end
  EXPECT_FALSE(IsValidUtf8("\xc3x"));                // not followed by a continuation
  EXPECT_FALSE(IsValidUtf8("\xf5\x80\x80\x80"));
}

TEST(CodecTest, PercentEdgeCases) {
  EXPECT_EQ(PercentDecode(""), "");
  EXPECT_EQ(PercentDecode("%41%4a%4A"), "AJJ");
  EXPECT_EQ(PercentDecode("a%2"), std::nullopt);
  EXPECT_EQ(PercentDecode("%%41"), std::nullopt);
  EXPECT_EQ(PercentDecode("%00"), std::string(1, '\0'));
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");  // unreserved stay
  EXPECT_EQ(PercentEncode("+&=%"), "%2B%26%3D%25");
  EXPECT_EQ(PercentEncode(""), "");
  for (const std::string s : {"a b", "ç&=?#", "\xff\x01"})
    EXPECT_EQ(PercentDecode(PercentEncode(s)), s);
}

TEST(CodecTest, FormPairEdgeCases) {
  std::string bad;
  auto pairs = ParseFormPairs("", &bad);
  ASSERT_TRUE(pairs.has_value());
  EXPECT_TRUE(pairs->empty());
  pairs = ParseFormPairs("=x&a=b=c&&&k%3D=v%26", &bad);
  ASSERT_TRUE(pairs.has_value());
  ASSERT_EQ(pairs->size(), 3u);
  EXPECT_EQ((*pairs)[0], (std::pair<std::string, std::string>{"", "x"}));
  EXPECT_EQ((*pairs)[1], (std::pair<std::string, std::string>{"a", "b=c"}));
  EXPECT_EQ((*pairs)[2], (std::pair<std::string, std::string>{"k=", "v&"}));
  EXPECT_FALSE(ParseFormPairs("ok=%zz", &bad).has_value());
  EXPECT_EQ(bad, "ok");  // the field whose value is malformed
}

TEST(CodecTest, DuplicateJsonKeyEdgeCases) {
  EXPECT_EQ(FindDuplicateJsonKey(R"({"a":1,"\u0061":2})"), "a");  // the same key, escaped
  EXPECT_EQ(FindDuplicateJsonKey(R"({"x":[{"a":1},{"a":2}]})"), std::nullopt);
  EXPECT_EQ(FindDuplicateJsonKey(R"({"a":{"b":1},"b":2})"), std::nullopt);
  EXPECT_EQ(FindDuplicateJsonKey(R"({"a":{"b":1,"b":2}})"), "b");
  EXPECT_EQ(FindDuplicateJsonKey(R"({"":1,"":2})"), "");
  EXPECT_EQ(FindDuplicateJsonKey(""), std::nullopt);
}

}  // namespace
}  // namespace candour::survey
