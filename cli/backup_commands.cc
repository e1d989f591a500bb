// `candour backup` and `candour restore` (commands.h), and the daily backups of `candour
// serve --backup-dir`. A backup is a RocksDB checkpoint of the data folder plus its audit log:
// responses stay sealed and the data key is never in it, so a backup is only as useful as the
// separately kept key file.
#include <chrono>
#include <iostream>

#include "cli/commands.h"
#include "store/errc.h"
#include "survey/audit_log.h"

namespace candour::cli {
namespace {

// The files of the data folder that are not the database's but belong in a backup.
std::vector<std::string> DataFiles() { return {survey::AuditLog::PathIn({}).filename().string()}; }

long long MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

int BackupCommand(const Options& o) {
  if (auto invalid = std::error_code(); fs::exists(o.backup_to, invalid)) {
    return Fail("the backup folder " + o.backup_to.string() +
                " already exists: name a new one (a backup never writes into a folder)");
  }
  if (!store::Store::Exists(o.data)) {
    return Fail("there is no data folder at " + o.data.string() + " to back up");
  }
  auto opened = OpenStore(o, false);
  if (!opened) {
    if (opened.error() == store::Errc::kLocked) {
      std::cerr << "  A running server has it open: ask it for the backup instead, with\n"
                   "  curl -X POST -H \"Authorization: Bearer $(cat TOKEN_FILE)\" "
                   "--data '{\"to\":\"/ABSOLUTE/DIR\"}' http://HOST:PORT/api/admin/backup\n";
    }
    return 1;
  }
  // Audited as the admin API's backups are (survey::Organiser::BackUp): its intent
  // before (if that cannot be written, nothing is done), its outcome after.
  survey::AuditLog audit(o.data, **opened);
  const std::string to = "to " + fs::absolute(o.backup_to).string();
  const auto now = [] { return std::chrono::system_clock::now(); };
  if (auto ec = audit.Append(now(), "backup", "", "intent: " + to)) {
    return Fail("the audit log could not be written, so nothing was done: " + ec.message() +
                " (`candour audit verify` says what is wrong)");
  }
  const auto start = std::chrono::steady_clock::now();
  if (auto ec = (*opened)->Checkpoint(o.backup_to, DataFiles())) {
    const std::string why =
        ec == store::Errc::kInvalid ? "its parent folder does not exist" : ec.message();
    if (audit.Append(now(), "backup", "", "failed: " + why)) {
      std::cerr << "candour: the failure could not be written to the audit log either\n";
    }
    return Fail("cannot back up to " + o.backup_to.string() + ": " + why);
  }
  if (audit.Append(now(), "backup", "", "done: " + to)) {
    std::cerr << "candour: the backup was made, but its outcome could not be written to the "
                 "audit log\n";
  }
  std::cout << "Backed up " << o.data.string() << " to " << o.backup_to.string() << " in "
            << MillisecondsSince(start) << " ms. The responses in it are sealed: keep the key file "
            << o.key_file.string()
            << " safe, and apart from the backup; without it the backup cannot be read."
            << std::endl;
  return 0;
}

int RestoreCommand(const Options& o) {
  if (!store::Store::Exists(o.restore_from)) {
    return Fail("there is no backup at " + o.restore_from.string() +
                " (a backup folder holds a CURRENT file)");
  }
  std::error_code fs_ec;
  if (fs::exists(o.data, fs_ec)) {
    return Fail("the data folder " + o.data.string() +
                " already exists: restore into a new folder, then point --data at it");
  }
  store::ScanStats stats;
  const auto start = std::chrono::steady_clock::now();
  // The copy is opened with the key before it takes the name --data: a wrong key, or a
  // damaged backup, leaves nothing behind.
  const auto ec = store::RestoreCopy(
      o.restore_from, o.data, [&](const fs::path& partial) -> boost::system::error_code {
        Options copy = o;
        copy.data = partial;
        auto store = OpenStore(copy, false);
        if (!store) return store.error();
        auto scanned = (*store)->ScanResponses([](std::string_view, std::string_view) {});
        if (!scanned) return scanned.error();
        stats = *scanned;
        // The checkpoint's write-ahead log and newest files keep the order of recent writes;
        // the restored folder starts without it, as the live one does after its hourly scrub.
        return (*store)->Scrub();
      });
  if (ec) {
    return Fail(
        "cannot restore " + o.restore_from.string() + " into " + o.data.string() + ": " +
        (ec == store::Errc::kInvalid ? "the new folder's parent does not exist" : ec.message()));
  }
  std::cout << "Restored " << stats.opened << " responses from " << o.restore_from.string()
            << " into " << o.data.string() << " in " << MillisecondsSince(start) << " ms."
            << std::endl;
  if (stats.forged > 0) {
    std::cerr << "candour: " << stats.forged
              << " responses in the backup failed authentication (tampered or foreign)\n";
    return 2;
  }
  return 0;
}

std::unique_ptr<store::BackupSchedule> StartBackupSchedule(const Options& o, store::Store& store) {
  if (o.backup_dir.empty()) return nullptr;
  store::BackupScheduleOptions options;
  options.dir = o.backup_dir;
  options.keep = o.backup_keep;
  options.data_files = DataFiles();
  options.log = [](std::string_view line) { std::cerr << "candour: " << line << std::endl; };
  std::cout << "Backing up daily to " << o.backup_dir.string() << ", keeping the " << o.backup_keep
            << " newest" << std::endl;
  return std::make_unique<store::BackupSchedule>(store, std::move(options));
}

}  // namespace candour::cli
