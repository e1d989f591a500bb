#include "store/space_guard.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <limits>

namespace candour::store {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kSpaceGuardMiB = uint64_t{1} << 20;
// The most a single append is assumed to grow a file by beyond its own bytes (a table block,
// a log record's header, the manifest): below this much free the reserve is released.
constexpr uint64_t kSpaceGuardAppendMargin = kSpaceGuardMiB;
// How long a statvfs figure is trusted while RocksDB writes (then less what it appended).
constexpr std::chrono::milliseconds kSpaceGuardStatEvery{10};
// RocksDB is resumed at most this often while it cannot be (each try runs a flush).
constexpr std::chrono::seconds kSpaceGuardResumeEvery{1};

std::string MiB(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / kSpaceGuardMiB);
  return text;
}

uint64_t AutoReserve(const fs::path& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return kSpaceGuardMiB;
  const uint64_t total = static_cast<uint64_t>(st.f_blocks) * st.f_frsize;
  return std::clamp<uint64_t>(total / 16, kSpaceGuardMiB, 64 * kSpaceGuardMiB);
}

uint64_t FileSize(const fs::path& path) {
  std::error_code ec;
  const uint64_t size = fs::file_size(path, ec);
  return ec ? 0 : size;
}

}  // namespace

SpaceGuard::SpaceGuard(SpaceGuardOptions options)
    : options_(std::move(options)), reserve_path_(options_.dir / kReserveFileName) {
  reserve_bytes_ = options_.reserve_bytes ? options_.reserve_bytes : AutoReserve(options_.dir);
  reserve_held_ = FileSize(reserve_path_) >= reserve_bytes_;
}

SpaceGuard::~SpaceGuard() { Stop(); }

uint64_t SpaceGuard::FreeBytes() const {
  struct statvfs st {};
  // A file system that cannot say is not taken for full: RocksDB's own errors still count.
  if (::statvfs(options_.dir.c_str(), &st) != 0) return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
}

uint64_t SpaceGuard::FreeAfter(uint64_t consuming) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(stat_mu_);
  const uint64_t near = reserve_bytes_ + kSpaceGuardAppendMargin + consuming;
  if (now - estimated_at_ >= kSpaceGuardStatEvery || estimate_ < 2 * near) {
    estimate_ = FreeBytes();
    estimated_at_ = now;
  }
  const uint64_t free = estimate_;
  estimate_ -= std::min(consuming, estimate_);
  return free;
}

void SpaceGuard::Say(const std::string& line) const {
  if (options_.log) return options_.log(line);
  std::fprintf(stderr, "candour: %s\n", line.c_str());
}

void SpaceGuard::ReleaseIfLow() {
  std::lock_guard lock(mu_);
  const uint64_t free = FreeBytes();
  if (free >= reserve_bytes_) return;
  // Refusing from the start; said here in the words of a start, not of a running server.
  refusing_.store(true, std::memory_order_release);
  ++episodes_;
  refused_at_episode_start_ = refused_.load(std::memory_order_relaxed);
  if (reserve_held_) {
    Say("disk full at start: " + MiB(free) + " free on the disk of " + options_.dir.string() +
        "; releasing the " + MiB(reserve_bytes_) +
        " reserve so that the database can open. Writes are refused until space returns.");
  } else {
    Say("disk full at start: " + MiB(free) + " free on the disk of " + options_.dir.string() +
        " and the reserve is already spent: the database may not be able to open. Free space "
        "on that disk.");
  }
  ReleaseLocked("so that the database can open");
}

void SpaceGuard::Start(Resume resume) {
  std::lock_guard lock(mu_);
  resume_ = std::move(resume);
  if (!reserve_held_) {
    const uint64_t free = FreeBytes();
    if (free < 2 * reserve_bytes_ + reserve_bytes_ / 2 || !MakeReserveLocked()) {
      EnterFullLocked(free, "no room for the reserve of " + MiB(reserve_bytes_));
    }
  }
  if (FreeBytes() < reserve_bytes_) EnterFullLocked(FreeBytes(), "at start");
  thread_ = std::thread([this] { Run(); });
}

void SpaceGuard::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool SpaceGuard::Admit() {
  if (!refusing_.load(std::memory_order_acquire)) {
    const uint64_t free = FreeAfter(0);
    if (free >= reserve_bytes_) return true;
    std::lock_guard lock(mu_);
    EnterFullLocked(free, "less free than the reserve");
  }
  refused_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void SpaceGuard::BeforeAppend(uint64_t bytes) {
  if (!reserve_held_.load(std::memory_order_acquire)) return;
  const uint64_t free = FreeAfter(bytes);
  if (free >= bytes + kSpaceGuardAppendMargin) return;
  std::lock_guard lock(mu_);
  EnterFullLocked(free, "a database write needed room");
  ReleaseLocked("so that the database can finish its write");
}

void SpaceGuard::OnNoSpace(std::string_view what) {
  {
    std::lock_guard lock(mu_);
    EnterFullLocked(FreeBytes(), "the database stopped writing");
    ReleaseLocked("so that the database can resume");
    if (!needs_resume_) {
      Say("disk full: the database stopped writing (" + std::string(what) +
          "); it resumes by itself once there is room");
    }
    needs_resume_ = true;
    stopped_because_.assign(what);
  }
  wake_.notify_all();
}

void SpaceGuard::EnterFullLocked(uint64_t free, std::string_view why) {
  if (refusing_.exchange(true, std::memory_order_acq_rel)) return;
  ++episodes_;
  refused_at_episode_start_ = refused_.load(std::memory_order_relaxed);
  Say("disk full: " + MiB(free) + " free on the disk of " + options_.dir.string() + " (" +
      std::string(why) + "; writes need " + MiB(reserve_bytes_) +
      " besides the reserve). Submissions get 503 and pages are still served; free space on "
      "that disk and it takes submissions again by itself.");
  wake_.notify_all();
}

void SpaceGuard::LeaveFullLocked(uint64_t free) {
  refusing_.store(false, std::memory_order_release);
  Say("disk space returned: " + MiB(free) + " free on the disk of " + options_.dir.string() +
      ", the reserve is in place; taking submissions again (" +
      std::to_string(refused_.load(std::memory_order_relaxed) - refused_at_episode_start_) +
      " writes were refused while the disk was full)");
}

void SpaceGuard::ReleaseLocked(std::string_view why) {
  if (!reserve_held_.exchange(false, std::memory_order_acq_rel)) return;
  std::error_code ec;
  fs::remove(reserve_path_, ec);
  Say("disk full: released the " + MiB(reserve_bytes_) + " reserve in " + options_.dir.string() +
      " " + std::string(why) + (ec ? " (but it could not be removed: " + ec.message() + ")" : ""));
}

bool SpaceGuard::MakeReserveLocked() {
  const fs::path tmp = reserve_path_.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  // Allocated, not sparse: its blocks are really taken, and really given back on removal.
  const bool made = ::posix_fallocate(fd, 0, static_cast<off_t>(reserve_bytes_)) == 0;
  ::close(fd);
  std::error_code ec;
  if (made) fs::rename(tmp, reserve_path_, ec);
  if (!made || ec) {
    fs::remove(tmp, ec);
    return false;
  }
  reserve_held_.store(true, std::memory_order_release);
  return true;
}

void SpaceGuard::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.poll);
    if (stopping_ || !refusing_.load(std::memory_order_acquire)) continue;
    uint64_t free = FreeBytes();
    const auto now = std::chrono::steady_clock::now();
    if (needs_resume_ && free >= reserve_bytes_ / 2 &&
        now - last_resume_ >= kSpaceGuardResumeEvery) {
      last_resume_ = now;
      std::string why;
      // RocksDB reports a failed resume through OnNoSpace, which takes mu_.
      lock.unlock();
      const bool resumed = resume_ && resume_(&why);
      lock.lock();
      if (resumed) {
        needs_resume_ = false;
        Say("the database resumed writing after the full disk");
      } else if (why != stopped_because_) {
        Say("the database cannot resume writing yet: " + why);
        stopped_because_ = why;
      }
      free = FreeBytes();
    }
    if (!reserve_held_ && free >= 2 * reserve_bytes_ + reserve_bytes_ / 2) {
      if (MakeReserveLocked()) free = FreeBytes();
    }
    if (reserve_held_ && !needs_resume_ && free >= reserve_bytes_ + reserve_bytes_ / 2) {
      LeaveFullLocked(free);
    }
  }
}

SpaceState SpaceGuard::State() const {
  std::lock_guard lock(mu_);
  const uint64_t free = FreeBytes();
  return {.refusing = refusing_.load(std::memory_order_acquire),
          .free_bytes = free == std::numeric_limits<uint64_t>::max() ? 0 : free,
          .reserve_bytes = reserve_bytes_,
          .reserve_held = reserve_held_.load(std::memory_order_acquire),
          .refused_writes = refused_.load(std::memory_order_relaxed),
          .full_episodes = episodes_};
}

}  // namespace candour::store
