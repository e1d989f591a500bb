// The candour subcommands, each run with the Options main parsed and returning the process's
// exit code (0 done; 1 failed, with why on stderr; 2 for count when stored responses fail
// authentication), and the helpers they share: opening the data folder, the comments key.
// `serve` runs the service (serve.cc); the others work on a stopped server's data
// (data_commands.cc, cli_admin.cc). Not thread-safe: used by main's thread only.
#pragma once

#include <boost/system/result.hpp>
#include <memory>
#include <optional>
#include <string>

#include "cli/options.h"
#include "crypto/sealed_box.h"
#include "store/backup.h"
#include "store/store.h"
#include "survey/survey.h"

namespace candour::cli {

// Prints "candour: MESSAGE" to stderr and returns 1.
int Fail(const std::string& message);
// The admin token file: candour-admin-token beside the key file (serve.cc).
std::filesystem::path AdminTokenPath(const Options& o);
// Writes `token` and a newline to `path`, mode 0600, whole or not at all. Returns why not, or "".
std::string WriteSecretFile(const std::filesystem::path& path, const std::string& token);

// Opens the data folder with its key. With `may_create` (only `init`, and `serve`'s first
// start) a missing or empty folder gets a new database, and a missing key a new key, unless
// the held-data marker beside the key says the key has held data. On failure prints what is
// wrong and what to do, and returns the error.
boost::system::result<std::unique_ptr<store::Store>> OpenStore(const Options& o, bool may_create);
// The marker beside the key file recording that the key has held data: KEY_FILE.held-data.
fs::path HeldDataMarker(const Options& o);
// The store options for o's data folder and marker.
store::StoreOptions StoreOptionsFor(const Options& o, bool may_create);

// The existing data folder and the stored survey o.survey in it, for the commands that work
// on one survey.
struct OpenedSurvey {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const survey::Survey> survey;  // never null
};
// Opens them (OpenStore(o, false), then the catalog); when the folder or its catalog cannot be
// read, or there is no such survey, prints why and returns nullopt.
std::optional<OpenedSurvey> OpenSurvey(const Options& o);

// The public half of the comments key (o.comments_key). On first use a pair is made, the
// secret half beside it, and the operator is told to move that off the server. On failure
// prints why and returns nullopt.
std::optional<crypto::BoxPublicKey> CommentsKey(const Options& o);

// The address residents use, for links in codes and QR codes.
std::string PublicUrl(const Options& o);

int Serve(const Options& o);       // serve.cc
int Count(const Options& o);       // data_commands.cc
int Import(const Options& o);      // data_commands.cc
int Init(const Options& o);        // data_commands.cc
int Repair(const Options& o);      // data_commands.cc
int AdminToken(const Options& o);  // cli_admin.cc, as are the rest
int AuditVerify(const Options& o);
int SurveyTemplate(const Options& o);
int SurveyCreate(const Options& o);
int IssueCodes(const Options& o);
int CommentsKeygen(const Options& o);
int CommentsExport(const Options& o);

// pkg: backups (backup_commands.cc). `candour backup --to DIR` (stopped server), `candour
// restore --from DIR --data NEWDIR`, and the daily backups of `serve --backup-dir DIR`:
// StartBackupSchedule returns null when no --backup-dir is set.
int BackupCommand(const Options& o);
int RestoreCommand(const Options& o);
std::unique_ptr<store::BackupSchedule> StartBackupSchedule(const Options& o, store::Store& store);

// `candour rotate-key` (rotate_command.cc), and what an operator reads when the data
// folder cannot be opened (open_store.cc): what is wrong and what to do.
int RotateKeyCommand(const Options& o);
std::string OpenFailure(const Options& o, const boost::system::error_code& ec,
                        const std::string& detail);

}  // namespace candour::cli
