// For every test binary (part of candour_test_main, so module tests may use it): fresh
// temporary folders, one per test, so that tests stay hermetic. Depends on no module of ours.
// Not thread-safe to share a TempDir; MakeTempDir itself may be called from any thread.
#pragma once

#include <filesystem>
#include <string>

namespace candour::testing {

// A fresh, empty folder under the system's temporary folder, named after `tag`, this process,
// a counter and the running test, so no two calls share one. Throws (std::filesystem) if it
// cannot be made.
std::filesystem::path MakeTempDir(const std::string& tag);

// Owns a MakeTempDir folder and removes it, with everything in it, when destroyed (errors
// ignored: a folder left behind in the temporary folder fails no test). Declare it before the
// members that keep files open in it, so that they close first.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) : path_(MakeTempDir(tag)) {}
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  const std::filesystem::path path_;
};

}  // namespace candour::testing
