#include "server/render_cache.h"

#include <gtest/gtest.h>

#include "server/gzip.h"
#include "stats/response_index.h"

namespace candour::server {
namespace {

std::shared_ptr<const stats::Release> NewRelease() {
  return std::make_shared<const stats::Release>(
      stats::Release::Build(stats::ReleaseSpec{}, stats::ResponseIndex({})));
}

TEST(RenderCacheTest, RendersOncePerReleaseAndKey) {
  RenderCache cache;
  const auto today = NewRelease();
  int renders = 0;
  auto page = [&] {
    ++renders;
    return std::string(1000, 'a') + std::to_string(renders);
  };
  const auto first = cache.Get(today, "demo\n1\nsummary\nen", page);
  const auto again = cache.Get(today, "demo\n1\nsummary\nen", page);
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(again->plain, first->plain);
  EXPECT_EQ(first->gzip, Gzip(first->plain));  // compressed once, with the body
  cache.Get(today, "demo\n1\nsummary\ntr", page);
  EXPECT_EQ(renders, 2);  // another key is another body

  // The next day's release renders afresh under the same key: nothing stale is served.
  const auto tomorrow = NewRelease();
  const auto next = cache.Get(tomorrow, "demo\n1\nsummary\nen", page);
  EXPECT_EQ(renders, 3);
  EXPECT_NE(next->plain, first->plain);
}

TEST(RenderCacheTest, SmallBodiesAreNotCompressed) {
  RenderCache cache;
  const auto body = cache.Get(NewRelease(), "k", [] { return std::string("{}"); });
  EXPECT_EQ(body->plain, "{}");
  EXPECT_TRUE(body->gzip.empty());
}

TEST(RenderCacheTest, ABodyOfAReleaseNoLongerHeldGoesAndTheBoundHolds) {
  RenderCache cache(10'000);
  auto old_release = NewRelease();
  cache.Get(old_release, "a", [] { return std::string(3000, 'x'); });
  EXPECT_EQ(cache.entries(), 1u);
  old_release.reset();  // nobody serves it any more
  const auto current = NewRelease();
  cache.Get(current, "b", [] { return std::string(100, 'y'); });
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.bytes(), 100u);
  // Over the bound, the least recently used go first.
  std::string random(4000, ' ');
  unsigned seed = 7;
  for (char& c : random) c = static_cast<char>((seed = seed * 1103515245 + 12345) >> 24);
  for (const char* key : {"c", "d", "e", "f"}) cache.Get(current, key, [&] { return random; });
  EXPECT_LE(cache.bytes(), 10'000u);
  int renders = 0;
  cache.Get(current, "f", [&] { return ++renders, random; });
  EXPECT_EQ(renders, 0);  // the newest stayed
  cache.Get(current, "b", [&] { return ++renders, std::string(100, 'y'); });
  EXPECT_EQ(renders, 1);  // the oldest went
}

}  // namespace
}  // namespace candour::server
