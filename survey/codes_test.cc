#include "survey/codes.h"

#include <gtest/gtest.h>

#include "survey/submission.h"

namespace candour::survey {
namespace {

TEST(CodesTest, WellFormedCodes) {
  EXPECT_TRUE(IsWellFormedCode("a"));
  EXPECT_TRUE(IsWellFormedCode("k7m2q9x4"));
  EXPECT_TRUE(IsWellFormedCode(std::string(32, 'z')));
  EXPECT_FALSE(IsWellFormedCode(""));
  EXPECT_FALSE(IsWellFormedCode(std::string(33, 'z')));
  EXPECT_FALSE(IsWellFormedCode("K7M2"));  // codes are printed in lower case
  EXPECT_FALSE(IsWellFormedCode("k7m2-q9x4"));
  EXPECT_FALSE(IsWellFormedCode("k7m2 "));
  EXPECT_FALSE(IsWellFormedCode(std::string("k7\0m2", 5)));
}

TEST(CodesTest, SourceTags) {
  EXPECT_TRUE(IsValidSourceTag("poster-7"));
  EXPECT_TRUE(IsValidSourceTag("7"));
  EXPECT_TRUE(IsValidSourceTag(std::string(48, 'a')));
  EXPECT_FALSE(IsValidSourceTag(""));
  EXPECT_FALSE(IsValidSourceTag("-poster"));
  EXPECT_FALSE(IsValidSourceTag("Poster"));
  EXPECT_FALSE(IsValidSourceTag("poster_7"));
  EXPECT_FALSE(IsValidSourceTag(std::string(49, 'a')));
}

}  // namespace
}  // namespace candour::survey
