// Running the real `candour` binary from tests: start it, read what it prints, signal it.
// Not thread-safe; one owner per process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace candour::testing {

// The path of the candour binary under test (set by CMake).
std::string CandourBinary();

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// Environment variables for the binary. It inherits the test's environment without any
// CANDOUR_* variable (hermetic), plus these.
using Environment = std::map<std::string, std::string>;

// Runs the binary to completion with `args`.
RunResult RunCandour(const std::vector<std::string>& args, const Environment& env = {});

class CandourProcess {
 public:
  // Starts `candour serve` with `args` and waits (up to 30 s) until it prints the port it
  // listens on. port() is 0 if it never did (then output() says why).
  explicit CandourProcess(const std::vector<std::string>& args, const Environment& env = {});
  ~CandourProcess();  // SIGKILL if still running

  uint16_t port() const { return port_; }
  const std::string& output() const { return output_; }
  // Sends `signal` and waits for the exit; returns the exit code (128+N when killed by N).
  int Signal(int signal);

 private:
  void ReadUntil(const std::string& marker, std::chrono::seconds timeout);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  uint16_t port_ = 0;
  std::string output_;
};

// Any subcommand, run in the background and read as it prints, to be stopped by a
// signal at a chosen point.
class CandourCommand {
 public:
  explicit CandourCommand(const std::vector<std::string>& args, const Environment& env = {});
  ~CandourCommand();  // SIGKILL if still running
  CandourCommand(const CandourCommand&) = delete;
  CandourCommand& operator=(const CandourCommand&) = delete;

  // Reads what it prints until `marker` has appeared `times` times in all; false if it exits
  // or `timeout` passes first.
  bool WaitFor(const std::string& marker, size_t times, std::chrono::seconds timeout);
  // Sends `signal` and waits for the exit; returns the exit code (128+N when killed by N).
  int Signal(int signal);
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string output_;
};

}  // namespace candour::testing
