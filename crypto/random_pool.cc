#include "crypto/random_pool.h"

#include <sodium.h>

#include <algorithm>

namespace candour::crypto {

RandomPool::~RandomPool() { sodium_memzero(block_.data(), block_.size()); }

void RandomPool::Fill(std::span<uint8_t> out) {
  while (!out.empty()) {
    if (used_ == kBlockBytes) {
      randombytes_buf(block_.data(), block_.size());
      used_ = 0;
    }
    const size_t n = std::min(out.size(), kBlockBytes - used_);
    std::copy_n(block_.begin() + used_, n, out.begin());
    sodium_memzero(block_.data() + used_, n);
    used_ += n;
    out = out.subspan(n);
  }
}

}  // namespace candour::crypto
