#include "store/data_folder.h"

#include <fcntl.h>
#include <unistd.h>

#include <string_view>

#include "store/errc.h"

namespace candour::store {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMarkerText =
    "This data key has sealed a Candour database. While this file exists, a missing or empty "
    "data folder is refused rather than started anew under the key. Keep it beside the key.\n";

// fsync on a folder, so that a new name in it survives a crash.
bool SyncFolder(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

FolderState InspectFolder(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (status.type() == fs::file_type::not_found) return FolderState::kMissing;
  if (ec || status.type() != fs::file_type::directory) return FolderState::kPartial;
  bool any = false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "CURRENT") return FolderState::kDatabase;
    if (name != "lost+found") any = true;
  }
  if (ec) return FolderState::kPartial;
  return any ? FolderState::kPartial : FolderState::kEmpty;
}

bool HeldDataMarked(const fs::path& marker) {
  std::error_code ec;
  // Anything at that name but a clean "not found" counts as marked: refusing is the safe side.
  return fs::symlink_status(marker, ec).type() != fs::file_type::not_found;
}

boost::system::error_code MarkHeldData(const fs::path& marker) {
  if (HeldDataMarked(marker)) return {};
  fs::path tmp = marker;
  tmp += ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errc::kIo;
  const bool written = ::write(fd, kMarkerText.data(), kMarkerText.size()) ==
                           static_cast<ssize_t>(kMarkerText.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  std::error_code ec;
  if (written) fs::rename(tmp, marker, ec);
  if (!written || ec) {
    fs::remove(tmp, ec);
    return Errc::kIo;
  }
  return SyncFolder(marker.parent_path()) ? boost::system::error_code() : Errc::kIo;
}

}  // namespace candour::store
