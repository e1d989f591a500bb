// The candour command line: which subcommand to run and with what (Options), read from argv,
// the environment and an optional config file by ParseCommandLine (CLI11).
// Precedence for every option: command-line flag > environment variable > config file >
// default. Not thread-safe: used by main's thread only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace candour::cli {

namespace fs = std::filesystem;

enum class Command {
  kServe,
  kCount,
  kImport,
  kAdminToken,
  kAuditVerify,
  kSurveyTemplate,
  kSurveyCreate,
  kCodes,
  kCommentsKeygen,
  kCommentsExport,
  kInit,     // safety: make a new database on purpose
  kRepair,   // safety: salvage a damaged one
  kBackup,   // pkg
  kRestore,  // pkg
  // Key rotation.
  kRotateKey,
};

// Every field holds its default until an option sets it; each subcommand reads only its own.
struct Options {
  Command command = Command::kServe;
  fs::path data = "candour-data";         // --data, CANDOUR_DATA
  fs::path key_file = "candour.key";      // --key-file, CANDOUR_KEY_FILE
  std::string listen = "127.0.0.1:8080";  // --listen HOST:PORT (valid), CANDOUR_LISTEN
  std::string public_url;                 // --public-url; empty: http://LISTEN. No trailing slash.
  int threads = 2;                        // --threads, 1 to 64
  bool group_commit = true;               // --group-commit on|off
  bool access_log = false;                // --access-log
  uint64_t rate_limit = 600;          // --rate-limit: submissions per hour per address, 1 to 1e8
  int demo_responses = 6000;          // --demo-responses: for a newly created demo survey, 0 to 1e6
  uint64_t console_idle = 1800;       // --console-idle: seconds a console session lasts unused
  std::string survey;                 // --survey (import, codes, comments export)
  bool skip_invalid = false;          // --skip-invalid (import)
  bool force = false;                 // --force (import): store a file imported before again
  std::string format;                 // --format csv|jsonl (import); empty: from the file's name
  fs::path file;                      // FILE (import, survey create)
  fs::path comments_key;              // --comments-key; after parsing never empty (default: beside
                                      // key_file, candour-comments.pub)
  bool rotate = false;                // --rotate (admin-token)
  int count = 0;                      // --count (codes), 1 to survey::Codes::kMaxIssue
  fs::path public_file, secret_file;  // --public, --secret (comments keygen)
  fs::path secret_key;                // --secret-key (comments export)
  // netops: serve's network limits.
  std::vector<std::string> trusted_proxies;  // --trusted-proxy ADDR[,ADDR]: IP addresses
  uint64_t max_connections = 4096;           // --max-connections, 1 to 1e6
  uint64_t max_connections_per_address = 0;  // --max-connections-per-address; 0: a 16th, >= 8
  std::string metrics_listen;  // --metrics-listen HOST:PORT (valid); empty: no metrics listener
  // pkg: backups (cli/backup_commands.cc).
  fs::path backup_to;     // --to (backup): a new folder
  fs::path restore_from;  // --from (restore): a backup
  fs::path backup_dir;    // --backup-dir (serve): daily backups there; empty: none
  int backup_keep = 7;    // --backup-keep (serve): how many daily backups are kept, 1 to 3650
  // Key rotation (cli/rotate_command.cc).
  fs::path new_key_file;         // --new-key-file (rotate-key): made if missing
  uint64_t rotate_batch = 4096;  // --batch-responses (rotate-key): per synced write, 1 to 1e6
};

// Exit codes besides 0 and a command's own failures (1).
inline constexpr int kExitUsage = 64;  // EX_USAGE: bad command line, environment or config

// What the command line asks for: run `options`, or, when `exit_code` is set, exit at once
// with it because help or the version (0) or a usage error naming the option (kExitUsage) has
// been printed.
struct CommandLine {
  Options options;
  std::optional<int> exit_code;
};

// Parses argv, then the environment, then the config file (--config FILE or CANDOUR_CONFIG).
CommandLine ParseCommandLine(int argc, const char* const* argv);

}  // namespace candour::cli
