// RandomPool: hands out bytes from libsodium's CSPRNG, drawn in blocks so that many small
// requests (nonces, record ids) share one getrandom() call (about 1.2 us per call here).
// Not thread-safe; each thread that needs random bytes owns its own pool.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace candour::crypto {

class RandomPool {
 public:
  static constexpr size_t kBlockBytes = 4096;

  RandomPool() = default;
  RandomPool(const RandomPool&) = delete;
  RandomPool& operator=(const RandomPool&) = delete;
  ~RandomPool();

  // Fills `out` with fresh random bytes; no byte is ever handed out twice.
  void Fill(std::span<uint8_t> out);

 private:
  std::array<uint8_t, kBlockBytes> block_{};
  size_t used_ = kBlockBytes;  // bytes of block_ already handed out
};

}  // namespace candour::crypto
