#include "tests/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <string_view>

namespace candour::testing {
namespace {

// "NAME=VALUE" strings: this process's environment without CANDOUR_*, then `env`.
std::vector<std::string> ChildEnvironment(const Environment& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    if (!std::string_view(*e).starts_with("CANDOUR_")) out.emplace_back(*e);
  }
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

pid_t Spawn(const std::vector<std::string>& args, const Environment& env, int* out_fd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return -1;
  // Built before fork(): the child only dups and execs.
  std::vector<std::string> argv_strings = {CandourBinary()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = ChildEnvironment(env);
  const std::vector<char*> argv = Pointers(argv_strings), envp = Pointers(env_strings);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  *out_fd = fds[0];
  return pid;
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

std::string CandourBinary() { return CANDOUR_BINARY; }

RunResult RunCandour(const std::vector<std::string>& args, const Environment& env) {
  int fd = -1;
  const pid_t pid = Spawn(args, env, &fd);
  RunResult result;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) result.out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = ExitCode(status);
  return result;
}

CandourProcess::CandourProcess(const std::vector<std::string>& args, const Environment& env) {
  std::vector<std::string> all = {"serve"};
  all.insert(all.end(), args.begin(), args.end());
  pid_ = Spawn(all, env, &out_fd_);
  ReadUntil("Candour is listening on", std::chrono::seconds(30));
  std::smatch m;
  static const std::regex kListening(R"(listening on http://[^:]+:(\d+))");
  if (std::regex_search(output_, m, kListening)) port_ = static_cast<uint16_t>(std::stoi(m[1]));
}

CandourProcess::~CandourProcess() {
  if (pid_ > 0) Signal(SIGKILL);
  if (out_fd_ >= 0) ::close(out_fd_);
}

void CandourProcess::ReadUntil(const std::string& marker, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (output_.find(marker) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    pollfd p{out_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return;
    const ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) return;
    output_.append(buf, static_cast<size_t>(n));
  }
}

int CandourProcess::Signal(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  // Collect what it printed while stopping.
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out_fd_, buf, sizeof buf)) > 0) output_.append(buf, static_cast<size_t>(n));
  return ExitCode(status);
}

// CandourCommand.
CandourCommand::CandourCommand(const std::vector<std::string>& args, const Environment& env) {
  pid_ = Spawn(args, env, &out_fd_);  // in the body: out_fd_'s own initializer runs first
}

CandourCommand::~CandourCommand() {
  if (pid_ > 0) Signal(SIGKILL);
  if (out_fd_ >= 0) ::close(out_fd_);
}

bool CandourCommand::WaitFor(const std::string& marker, size_t times,
                             std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto seen = [&] {
    size_t n = 0;
    for (size_t at = output_.find(marker); at != std::string::npos;
         at = output_.find(marker, at + marker.size())) {
      ++n;
    }
    return n;
  };
  char buf[4096];
  while (seen() < times) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{out_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    const ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) return false;
    output_.append(buf, static_cast<size_t>(n));
  }
  return true;
}

int CandourCommand::Signal(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(out_fd_, buf, sizeof buf)) > 0) output_.append(buf, static_cast<size_t>(n));
  return ExitCode(status);
}

}  // namespace candour::testing
