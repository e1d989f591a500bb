#include "crypto/random_pool.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace candour::crypto {
namespace {

TEST(RandomPoolTest, NeverRepeatsAcrossBlocks) {
  RandomPool pool;
  std::set<std::string> seen;
  // 16-byte draws spanning several 4 KiB blocks, including a draw that straddles a boundary.
  std::vector<uint8_t> odd(4000);
  pool.Fill(odd);
  for (int i = 0; i < 2000; ++i) {
    std::string id(16, '\0');
    pool.Fill(std::span<uint8_t>(reinterpret_cast<uint8_t*>(id.data()), id.size()));
    EXPECT_TRUE(seen.insert(id).second) << "repeated draw " << i;
  }
}

TEST(RandomPoolTest, FillsLargerThanABlock) {
  RandomPool pool;
  std::vector<uint8_t> big(3 * RandomPool::kBlockBytes + 5, 0);
  pool.Fill(big);
  // A run of 64 zero bytes from a CSPRNG has probability 2^-512.
  size_t zero_run = 0, longest = 0;
  for (uint8_t b : big) {
    zero_run = b == 0 ? zero_run + 1 : 0;
    longest = std::max(longest, zero_run);
  }
  EXPECT_LT(longest, 64u);
}

}  // namespace
}  // namespace candour::crypto
