// candour: the one binary. `candour serve` runs the service; the other subcommands administer
// a stopped server's data. main parses the command line (options.h) and dispatches to the
// subcommand (commands.h); nothing is global.
#include <signal.h>
#include <sodium.h>

#include "cli/commands.h"
#include "cli/options.h"

namespace {

using namespace candour::cli;

int Run(const Options& o) {
  switch (o.command) {
    case Command::kServe:
      return Serve(o);
    case Command::kCount:
      return Count(o);
    case Command::kImport:
      return Import(o);
    case Command::kAdminToken:
      return AdminToken(o);
    case Command::kAuditVerify:
      return AuditVerify(o);
    case Command::kSurveyTemplate:
      return SurveyTemplate(o);
    case Command::kSurveyCreate:
      return SurveyCreate(o);
    case Command::kCodes:
      return IssueCodes(o);
    case Command::kCommentsKeygen:
      return CommentsKeygen(o);
    case Command::kCommentsExport:
      return CommentsExport(o);
    case Command::kInit:
      return Init(o);
    case Command::kRepair:
      return Repair(o);
    case Command::kBackup:  // pkg
      return BackupCommand(o);
    case Command::kRestore:  // pkg
      return RestoreCommand(o);
    case Command::kRotateKey:
      return RotateKeyCommand(o);
  }
  return Fail("unknown command");  // unreachable: -Wswitch names a missing case
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return Fail("libsodium failed to initialise");
  ::signal(SIGPIPE, SIG_IGN);
  const CommandLine line = ParseCommandLine(argc, argv);
  if (line.exit_code) return *line.exit_code;
  return Run(line.options);
}
