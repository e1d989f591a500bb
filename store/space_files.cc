#include "store/space_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace candour::store::internal {
namespace {

namespace fs = std::filesystem;

// A file RocksDB writes, asking the guard for room before each append.
class GuardedFile final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  GuardedFile(std::unique_ptr<rocksdb::FSWritableFile> file, SpaceGuard& guard)
      : FSWritableFileOwnerWrapper(std::move(file)), guard_(guard) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    guard_.BeforeAppend(data.size());
    return target()->Append(data, options, dbg);
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info,
                           rocksdb::IODebugContext* dbg) override {
    guard_.BeforeAppend(data.size());
    return target()->Append(data, options, info, dbg);
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& options,
                                     rocksdb::IODebugContext* dbg) override {
    guard_.BeforeAppend(data.size());
    return target()->PositionedAppend(data, offset, options, dbg);
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& options,
                                     const rocksdb::DataVerificationInfo& info,
                                     rocksdb::IODebugContext* dbg) override {
    guard_.BeforeAppend(data.size());
    return target()->PositionedAppend(data, offset, options, info, dbg);
  }

 private:
  SpaceGuard& guard_;
};

rocksdb::IOStatus Wrap(rocksdb::IOStatus s, SpaceGuard& guard,
                       std::unique_ptr<rocksdb::FSWritableFile>* file) {
  if (s.ok()) *file = std::make_unique<GuardedFile>(std::move(*file), guard);
  return s;
}

class TolerantLogger final : public rocksdb::Logger {
 public:
  explicit TolerantLogger(fs::path path)
      : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL), path_(std::move(path)) {
    Reopen();
  }
  ~TolerantLogger() override {
    if (fd_ >= 0) ::close(fd_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[1024];
    const int n = std::vsnprintf(line, sizeof line - 1, format, ap);
    if (n < 0) return;
    size_t size = std::min(static_cast<size_t>(n), sizeof line - 2);
    if (size == 0 || line[size - 1] != '\n') line[size++] = '\n';
    std::lock_guard lock(mu_);
    if (written_ + size > kLimit) {
      std::error_code ec;
      fs::rename(path_, path_.string() + ".old", ec);
      Reopen();
    }
    if (fd_ < 0) return;
    // A line that does not fit on the disk is dropped: the log must never stop the database.
    const ssize_t put = ::write(fd_, line, size);
    if (put > 0) written_ += static_cast<uint64_t>(put);
  }

 private:
  static constexpr uint64_t kLimit = uint64_t{1} << 20;

  // REQUIRES: mu_ held, or in the constructor.
  void Reopen() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    struct stat st {};
    written_ = fd_ >= 0 && ::fstat(fd_, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  }

  const fs::path path_;
  std::mutex mu_;
  int fd_ = -1;           // protected by mu_
  uint64_t written_ = 0;  // protected by mu_
};

}  // namespace

GuardedFileSystem::GuardedFileSystem(SpaceGuard& guard)
    : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()), guard_(guard) {}

rocksdb::IOStatus GuardedFileSystem::NewWritableFile(const std::string& name,
                                                     const rocksdb::FileOptions& options,
                                                     std::unique_ptr<rocksdb::FSWritableFile>* file,
                                                     rocksdb::IODebugContext* dbg) {
  return Wrap(target()->NewWritableFile(name, options, file, dbg), guard_, file);
}

rocksdb::IOStatus GuardedFileSystem::ReopenWritableFile(
    const std::string& name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* file, rocksdb::IODebugContext* dbg) {
  return Wrap(target()->ReopenWritableFile(name, options, file, dbg), guard_, file);
}

rocksdb::IOStatus GuardedFileSystem::ReuseWritableFile(
    const std::string& name, const std::string& old_name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* file, rocksdb::IODebugContext* dbg) {
  return Wrap(target()->ReuseWritableFile(name, old_name, options, file, dbg), guard_, file);
}

void SpaceListener::OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) {
  if (error && error->IsNoSpace()) guard_.OnNoSpace(error->ToString());
}

void SpaceListener::OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status error,
                                         bool* auto_recovery) {
  // The guard resumes RocksDB itself, as soon as the released reserve gives it room.
  if (error.IsNoSpace() && auto_recovery) *auto_recovery = false;
}

void SpaceListener::OnFlushCompleted(rocksdb::DB*, const rocksdb::FlushJobInfo& info) {
  if (info.cf_name == "responses") guard_.NeedPad();
}

rocksdb::Status WritePad(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* responses) {
  rocksdb::WriteOptions no_log;
  no_log.disableWAL = true;
  return db.Put(no_log, responses, kSpacePadKey, "");
}

std::shared_ptr<rocksdb::Logger> TolerantInfoLog(const fs::path& dir) {
  return std::make_shared<TolerantLogger>(dir / "LOG");
}

}  // namespace candour::store::internal
