#include "survey/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>

#include "crypto/token.h"
#include "survey/errc.h"

namespace candour::survey {
namespace {

namespace json = boost::json;

constexpr char kHeadKey[] = "audit/head";
constexpr char kHashField[] = ",\"hash\":\"";
const std::string kGenesis(64, '0');

std::string EntryHash(std::string_view prev, std::string_view body) {
  return crypto::SecretHash("candour-audit", std::string(prev).append("\n").append(body));
}

std::string Utc(std::chrono::system_clock::time_point when) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(when);
  const auto day = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{secs - day};
  char buf[32];
  std::snprintf(
      buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", int(ymd.year()),
      unsigned(ymd.month()), unsigned(ymd.day()), static_cast<long long>(hms.hours().count()),
      static_cast<long long>(hms.minutes().count()), static_cast<long long>(hms.seconds().count()));
  return buf;
}

// The entries of the file (lines without their newline); empty if there is no file.
std::vector<std::string> ReadLines(const std::filesystem::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

AuditLog::AuditLog(std::filesystem::path dir, store::Store& store)
    : path_(PathIn(dir)), store_(store), head_(kGenesis) {
  // The chain continues from the head kept in the store, not from the file: a file cut or
  // edited at its end must not be adopted (and so hidden) by the next entry.
  auto head = store_.GetMeta(kHeadKey);
  if (!head) {
    broken_ = true;
    return;
  }
  if (*head) {
    const std::string& record = **head;
    const size_t space = record.find(' ');
    seq_ = std::strtoull(record.substr(0, space).c_str(), nullptr, 10);
    head_ = space == std::string::npos ? "" : record.substr(space + 1);
  }
  const auto lines = ReadLines(path_);
  std::string last_hash = kGenesis;
  if (!lines.empty()) {
    const size_t at = lines.back().rfind(kHashField);
    last_hash = at == std::string::npos ? "" : lines.back().substr(at + sizeof kHashField - 1, 64);
  }
  broken_ = lines.size() != seq_ || last_hash != head_;
}

boost::system::error_code AuditLog::Append(std::chrono::system_clock::time_point when,
                                           std::string_view action, std::string_view survey,
                                           std::string_view detail) {
  std::lock_guard lock(mu_);
  if (broken_) return Errc::kAuditLogBroken;  // `candour audit verify` says where
  const uint64_t seq = seq_ + 1;
  std::string body = "{\"seq\":" + std::to_string(seq) + ",\"time\":\"" + Utc(when) +
                     "\",\"action\":" + json::serialize(json::string(action)) +
                     ",\"survey\":" + json::serialize(json::string(survey)) +
                     ",\"detail\":" + json::serialize(json::string(detail)) + ",\"prev\":\"" +
                     head_ + "\"";
  const std::string hash = EntryHash(head_, body);
  const std::string line = body + kHashField + hash + "\"}\n";
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Errc::kAuditLogIo;
  const ssize_t written = ::write(fd, line.data(), line.size());
  const bool ok = written == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  // Whatever reached the file is part of the chain now; a partial line or a head that could
  // not be stored leaves the log broken (Verify reports it) rather than reusing a number.
  if (written > 0) {
    seq_ = seq;
    head_ = hash;
  }
  if (!ok) {
    broken_ = written > 0;
    return Errc::kAuditLogIo;
  }
  if (auto ec = store_.PutMeta(kHeadKey, std::to_string(seq) + " " + hash)) {
    broken_ = true;
    return ec;
  }
  return {};
}

boost::system::result<size_t, std::string> AuditLog::Verify(const std::filesystem::path& dir,
                                                            store::Store& store) {
  using Result = boost::system::result<size_t, std::string>;
  constexpr auto kError = boost::system::in_place_error;
  const auto lines = ReadLines(PathIn(dir));
  std::string prev = kGenesis;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string entry = "entry " + std::to_string(i + 1) + ": ";
    const std::string& line = lines[i];
    const size_t at = line.rfind(kHashField);
    if (at == std::string::npos || line.size() != at + sizeof kHashField - 1 + 64 + 2) {
      return Result(kError, entry + "malformed (no hash at its end)");
    }
    const std::string body = line.substr(0, at);
    boost::system::error_code ec;
    const json::value v = json::parse(body + "}", ec);
    if (ec || !v.is_object()) return Result(kError, entry + "malformed JSON");
    const auto* seq = v.as_object().if_contains("seq");
    if (!seq || !seq->is_int64() || seq->as_int64() != static_cast<int64_t>(i + 1)) {
      return Result(kError, entry + "out of sequence: an entry before it was deleted or moved");
    }
    const auto* p = v.as_object().if_contains("prev");
    if (!p || !p->is_string() || p->as_string() != prev) {
      return Result(kError, entry + "does not follow the entry before it (deleted or edited)");
    }
    const std::string hash = line.substr(at + sizeof kHashField - 1, 64);
    if (EntryHash(prev, body) != hash) return Result(kError, entry + "edited after it was written");
    prev = hash;
  }
  auto head = store.GetMeta(kHeadKey);
  if (!head) return Result(kError, "cannot read the stored head: " + head.error().message());
  const std::string expected = *head ? **head : "0 " + kGenesis;
  const std::string actual = std::to_string(lines.size()) + " " + prev;
  if (expected != actual) {
    const std::string written = expected.substr(0, expected.find(' '));
    return Result(kError, "entry " + std::to_string(lines.size() + 1) + ": missing: " + written +
                              " entries were written but the log ends after " +
                              std::to_string(lines.size()) + " (deleted or replaced)");
  }
  return lines.size();
}

}  // namespace candour::survey
