#include "tests/temp_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>

namespace candour::testing {

namespace fs = std::filesystem;

fs::path MakeTempDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir =
      fs::temp_directory_path() / ("candour-" + tag + "-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(counter++) + "-" + (info ? info->name() : "x"));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace candour::testing
