#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cstdlib>
#include <functional>
#include <iostream>

#include "cli/config_file.h"
#include "cli/option_values.h"
#include "survey/codes.h"

namespace candour::cli {
namespace {

constexpr char kPrecedence[] =
    "Each option is taken from, in this order: its flag; its environment variable (Env:); the\n"
    "config file (--config FILE, or CANDOUR_CONFIG); its default. The config file is TOML/INI,\n"
    "one option a line without its dashes, e.g.\n"
    "  data = \"/var/lib/candour\"\n"
    "  key-file = \"/etc/candour/candour.key\"\n"
    "  threads = 4\n"
    "  access-log = true\n"
    "A key only other commands take is skipped, so one file serves every command; keys under\n"
    "[serve] (or [codes], [comments.export], ...) are for that command only.";
constexpr char kSeeServeHelp[] =
    "Options may also come from the environment (Env:) or the config file; `candour serve "
    "--help` says how.";

// Checks a value and stores it; returns why it is refused (completing "--NAME ...") or nullopt.
using Apply = std::function<std::optional<std::string>(const std::string& value)>;

// Adds `name` whose value `apply` checks and stores. A refused value, from the command line,
// the environment or the config file, fails the parse with "NAME WHY (not "VALUE")".
CLI::Option* AddChecked(CLI::App* app, const std::string& name, const std::string& type,
                        const std::string& help, Apply apply) {
  CLI::callback_t callback = [name, apply](const CLI::results_t& values) {
    if (auto why = apply(values.back())) {
      throw CLI::ValidationError(name + " " + *why + " (not \"" + values.back() + "\")");
    }
    return true;
  };
  return app->add_option(name, std::move(callback), help)->type_name(type);
}

template <typename T>
CLI::Option* AddNumber(CLI::App* app, const std::string& name, T* target, uint64_t min,
                       uint64_t max, const std::string& help) {
  const std::string why =
      "takes a number from " + std::to_string(min) + " to " + std::to_string(max);
  return AddChecked(app, name, "N", help, [=](const std::string& v) -> std::optional<std::string> {
    const auto n = ParseNumber(v, min, max);
    if (!n) return why;
    *target = static_cast<T>(*n);
    return std::nullopt;
  });
}

// --config on a subcommand hands its FILE to the top-level option CLI11 reads files from.
void AddConfig(CLI::App* app, CLI::Option* root_config) {
  CLI::callback_t forward = [root_config](const CLI::results_t& values) {
    root_config->add_result(values.back());
    return true;
  };
  app->add_option("--config", std::move(forward),
                  "read options from FILE (TOML/INI, described at the end of `candour serve "
                  "--help`); also CANDOUR_CONFIG. Default: none.")
      ->type_name("FILE")
      ->trigger_on_parse()
      ->configurable(false);
}

// --data and --key-file. Commands that read no data (`survey template`, `comments keygen`)
// still take them, hidden, so that a script may pass them to every command.
void AddStore(CLI::App* app, Options* o, bool used = true) {
  const std::string group = used ? "Options" : "";
  app->add_option("--data", o->data, "data folder. Default: ./candour-data.")
      ->type_name("DIR")
      ->envname("CANDOUR_DATA")
      ->group(group);
  app->add_option("--key-file", o->key_file,
                  "data key, outside the data folder (created with a new folder by serve). "
                  "Default: ./candour.key.")
      ->type_name("FILE")
      ->envname("CANDOUR_KEY_FILE")
      ->group(group);
}

void AddListen(CLI::App* app, Options* o, const std::string& help) {
  AddChecked(app, "--listen", "HOST:PORT", help, [o](const std::string& v) {
    if (!ParseHostPort(v)) {
      return std::optional<std::string>(
          "takes HOST:PORT, PORT a number from 0 to 65535, e.g. 127.0.0.1:8080");
    }
    o->listen = v;
    return std::optional<std::string>();
  })->envname("CANDOUR_LISTEN");
}

void AddPublicUrl(CLI::App* app, Options* o) {
  AddChecked(app, "--public-url", "URL",
             "address residents use, in links and QR codes. Default: http://LISTEN.",
             [o](std::string v) {
               while (!v.empty() && v.back() == '/') v.pop_back();
               if (!v.starts_with("http://") && !v.starts_with("https://")) {
                 return std::optional<std::string>("takes an http:// or https:// address");
               }
               o->public_url = v;
               return std::optional<std::string>();
             })
      ->envname("CANDOUR_PUBLIC_URL");
}

void AddCommentsKey(CLI::App* app, Options* o) {
  app->add_option("--comments-key", o->comments_key,
                  "public half of the offline key free text is sealed to (made, with its "
                  "secret half beside it as FILE.secret, if missing). Default: "
                  "candour-comments.pub beside the key file.")
      ->type_name("FILE")
      ->envname("CANDOUR_COMMENTS_KEY");
}

// Clears the environment variable of every option outside `active`: CLI11 reads them for
// all subcommands, and another command's variable must neither set the Options they share
// nor fail this command's parse.
void IgnoreOtherCommandsEnvironment(CLI::App& app, const CLI::App* active) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub == active) continue;
    for (CLI::Option* option : sub->get_options([](CLI::Option*) { return true; })) {
      option->envname("");
    }
    IgnoreOtherCommandsEnvironment(*sub, active);
  }
}

// A subcommand that sets o->command when it is the one run.
CLI::App* AddCommand(CLI::App* parent, const std::string& name, const std::string& what,
                     Command command, Options* o, CLI::Option* root_config) {
  CLI::App* app = parent->add_subcommand(name, what);
  app->preparse_callback([app](size_t) {
    CLI::App* root = app;
    while (root->get_parent()) root = root->get_parent();
    IgnoreOtherCommandsEnvironment(*root, app);
  });
  app->callback([o, command] { o->command = command; });
  AddConfig(app, root_config);
  app->footer(kSeeServeHelp);
  return app;
}

// netops: the reverse proxies believed and the connection caps (serve only).
void AddNetworkLimits(CLI::App* app, Options* o) {
  AddChecked(app, "--trusted-proxy", "ADDR[,ADDR]",
             "reverse proxies (IP addresses) whose last X-Forwarded-For hop is believed, by the "
             "in-memory rate limiter only (never stored or logged); from anyone else the header "
             "is ignored, and their connections are not capped per address. Default: none.",
             [o](const std::string& v) -> std::optional<std::string> {
               std::vector<std::string> addresses;
               size_t start = 0;
               for (;;) {
                 const size_t comma = v.find(',', start);
                 std::string one = v.substr(start, comma - start);
                 while (!one.empty() && one.front() == ' ') one.erase(0, 1);
                 while (!one.empty() && one.back() == ' ') one.pop_back();
                 boost::system::error_code ec;
                 boost::asio::ip::make_address(one, ec);
                 if (ec) return "takes IP addresses separated by commas, e.g. 127.0.0.1,::1";
                 addresses.push_back(one);
                 if (comma == std::string::npos) break;
                 start = comma + 1;
               }
               o->trusted_proxies = std::move(addresses);
               return std::nullopt;
             })
      ->envname("CANDOUR_TRUSTED_PROXY");
  AddNumber(app, "--max-connections", &o->max_connections, 1, 1'000'000,
            "open connections at most (lowered to fit the file descriptor limit); more get "
            "503. Default: 4096.")
      ->envname("CANDOUR_MAX_CONNECTIONS");
  AddNumber(app, "--max-connections-per-address", &o->max_connections_per_address, 0, 1'000'000,
            "open connections from one address (IPv6: one /64) at most, so that one client "
            "cannot take every slot; a trusted proxy's are not capped. 0: a sixteenth of "
            "--max-connections, at least 8. Default: 0.")
      ->envname("CANDOUR_MAX_CONNECTIONS_PER_ADDRESS");
  AddChecked(app, "--metrics-listen", "HOST:PORT",
             "a second address serving only /metrics without the admin token (and /healthz, "
             "/readyz), for a scraper on this machine: keep it on loopback, e.g. "
             "127.0.0.1:9090. Default: none (/metrics needs the admin token).",
             [o](const std::string& v) -> std::optional<std::string> {
               if (!ParseHostPort(v)) return "takes HOST:PORT, e.g. 127.0.0.1:9090";
               o->metrics_listen = v;
               return std::nullopt;
             })
      ->envname("CANDOUR_METRICS_LISTEN");
}

void AddServe(CLI::App& root, Options* o, CLI::Option* config) {
  CLI::App* app = AddCommand(&root, "serve", "run the survey service", Command::kServe, o, config);
  app->footer(kPrecedence);
  AddStore(app, o);
  AddListen(app, o, "address to serve on (PORT 0: any free port). Default: 127.0.0.1:8080.");
  AddNumber(app, "--threads", &o->threads, 1, 64, "HTTP I/O threads. Default: 2.")
      ->envname("CANDOUR_THREADS");
  AddChecked(app, "--group-commit", "on|off",
             "share write-ahead-log syncs between concurrent submissions (off: one sync per "
             "response, for comparison). Default: on.",
             [o](const std::string& v) {
               const auto on = ParseOnOff(v);
               if (on) o->group_commit = *on;
               return on ? std::nullopt : std::optional<std::string>("takes on or off");
             })
      ->envname("CANDOUR_GROUP_COMMIT");
  AddPublicUrl(app, o);
  AddNumber(app, "--demo-responses", &o->demo_responses, 0, 1'000'000,
            "synthetic responses given to a newly created demo survey. Default: 6000.")
      ->envname("CANDOUR_DEMO_RESPONSES");
  app->add_flag("--access-log", o->access_log,
                "log method, route pattern, status and latency to stderr (never addresses, "
                "headers or answers); CANDOUR_ACCESS_LOG=1. Default: off.")
      ->envname("CANDOUR_ACCESS_LOG");
  AddNumber(app, "--rate-limit", &o->rate_limit, 1, 100'000'000,
            "submissions per hour from one address, for surveys that set no \"rate_limit\" "
            "(kept in memory under a keyed hash that changes hourly). Default: 600.")
      ->envname("CANDOUR_RATE_LIMIT");
  AddNumber(app, "--console-idle", &o->console_idle, 1, 7 * 24 * 3600,
            "seconds a console (/admin) sign-in lasts without a request before it ends and the "
            "organiser signs in again. Default: 1800.")
      ->envname("CANDOUR_CONSOLE_IDLE");
  AddCommentsKey(app, o);
  AddNetworkLimits(app, o);
}

void AddDataCommands(CLI::App& root, Options* o, CLI::Option* config) {
  CLI::App* count = AddCommand(&root, "count",
                               "print the number of stored responses per survey (server "
                               "stopped)",
                               Command::kCount, o, config);
  AddStore(count, o);
  CLI::App* import = AddCommand(&root, "import",
                                "load paper responses, each with its period (server stopped); "
                                "a file with any invalid row stores nothing unless "
                                "--skip-invalid, and one with a row for a period already "
                                "published stores nothing",
                                Command::kImport, o, config);
  AddStore(import, o);
  import->add_option("--survey", o->survey, "the survey the responses answer.")
      ->type_name("ID")
      ->required();
  import->add_option("FILE", o->file, "the responses: CSV, or JSON lines.")->required();
  AddChecked(import, "--format", "csv|jsonl",
             "the file's form. Default: csv for a FILE named *.csv, else jsonl.",
             [o](const std::string& v) {
               if (v != "csv" && v != "jsonl") {
                 return std::optional<std::string>("takes csv or jsonl");
               }
               o->format = v;
               return std::optional<std::string>();
             });
  import->add_flag("--skip-invalid", o->skip_invalid,
                   "store the valid rows and skip the invalid ones. Default: off (a file with "
                   "any invalid row stores nothing).");
  AddCommentsKey(import, o);
}

// admin-token, audit verify, survey template and survey create.
void AddAdminCommands(CLI::App& root, Options* o, CLI::Option* config) {
  CLI::App* token =
      AddCommand(&root, "admin-token", "replace the admin token and print the new one",
                 Command::kAdminToken, o, config);
  AddStore(token, o);
  token->add_flag("--rotate", o->rotate,
                  "replace the token (required: the old one stops working at once).");

  CLI::App* audit = root.add_subcommand("audit", "verify: check the audit log's hash chain")
                        ->require_subcommand(1);
  AddStore(AddCommand(audit, "verify", "check the audit log's hash chain (exit 1 if broken)",
                      Command::kAuditVerify, o, config),
           o);

  CLI::App* survey =
      root.add_subcommand(
              "survey",
              "template: print the built-in definition; create FILE: add a survey from JSON")
          ->require_subcommand(1);
  AddStore(AddCommand(survey, "template", "print the built-in trust-and-confidence definition",
                      Command::kSurveyTemplate, o, config),
           o, false);
  CLI::App* create = AddCommand(survey, "create", "add a survey from a JSON definition",
                                Command::kSurveyCreate, o, config);
  AddStore(create, o);
  create->add_option("FILE", o->file, "the survey definition (JSON).")->required();
}

void AddCodes(CLI::App& root, Options* o, CLI::Option* config) {
  CLI::App* codes = AddCommand(&root, "codes", "issue single-use codes (CSV: code,link)",
                               Command::kCodes, o, config);
  AddStore(codes, o);
  codes->add_option("--survey", o->survey, "the survey the codes open.")
      ->type_name("ID")
      ->required();
  AddNumber(codes, "--count", &o->count, 1, survey::Codes::kMaxIssue, "how many codes.")
      ->required();
  AddPublicUrl(codes, o);
  AddListen(codes, o,
            "the server's address, for links when --public-url is not set. "
            "Default: 127.0.0.1:8080.");
}

void AddComments(CLI::App& root, Options* o, CLI::Option* config) {
  CLI::App* comments =
      root.add_subcommand("comments",
                          "keygen: make the offline key for free text; export: print it, opened")
          ->require_subcommand(1);
  CLI::App* keygen = AddCommand(comments, "keygen", "make an offline key pair for free text",
                                Command::kCommentsKeygen, o, config);
  AddStore(keygen, o, false);
  keygen
      ->add_option("--public", o->public_file,
                   "where to write the public half (for the server's --comments-key).")
      ->type_name("FILE")
      ->required();
  keygen
      ->add_option("--secret", o->secret_file,
                   "where to write the secret half (mode 0600; keep it off the server).")
      ->type_name("FILE")
      ->required();
  CLI::App* exporter = AddCommand(comments, "export",
                                  "print a survey's free-text answers, decrypted, in random "
                                  "order (JSON lines)",
                                  Command::kCommentsExport, o, config);
  AddStore(exporter, o);
  exporter->add_option("--survey", o->survey, "the survey.")->type_name("ID")->required();
  exporter->add_option("--secret-key", o->secret_key, "the secret half of the comments key.")
      ->type_name("FILE")
      ->required();
}

// safety: `init`, `repair`, and `import --force` (no silent loss: a database is made only on
// purpose, a damaged one is salvaged only on the operator's word, a file is imported once).
void AddSafetyCommands(CLI::App& root, Options* o, CLI::Option* config) {
  AddStore(AddCommand(&root, "init",
                      "make a new, empty database and (if missing) its key; refuses a folder "
                      "that holds anything, or a key that has held data",
                      Command::kInit, o, config),
           o);
  AddStore(AddCommand(&root, "repair",
                      "salvage a damaged database (server stopped; back the folder up first) "
                      "and report how many writes were lost",
                      Command::kRepair, o, config),
           o);
  root.get_subcommand("import")->add_flag(
      "--force", o->force,
      "store the rows of a file that was imported before (its keyed digest is kept). "
      "Default: off (refused).");
}
// pkg: backups. `backup --to DIR`, `restore --from DIR`, and serve's --backup-dir and
// --backup-keep (cli/backup_commands.cc).
void AddBackupCommands(CLI::App& root, Options* o, CLI::Option* config) {
  CLI::App* serve = root.get_subcommand("serve");
  serve
      ->add_option("--backup-dir", o->backup_dir,
                   "back up daily (at start, then after each UTC midnight) into "
                   "DIR/candour-YYYY-MM-DD, keeping the --backup-keep newest. Default: none.")
      ->type_name("DIR")
      ->envname("CANDOUR_BACKUP_DIR");
  AddNumber(serve, "--backup-keep", &o->backup_keep, 1, 3650,
            "how many daily backups --backup-dir keeps. Default: 7.")
      ->envname("CANDOUR_BACKUP_KEEP");
  CLI::App* backup = AddCommand(&root, "backup",
                                "copy the data folder, consistent and still sealed, into a new "
                                "folder (server stopped; a running server backs up through "
                                "POST /api/admin/backup)",
                                Command::kBackup, o, config);
  AddStore(backup, o);
  backup->add_option("--to", o->backup_to, "the backup: a new folder (its parent must exist).")
      ->type_name("DIR")
      ->required();
  CLI::App* restore = AddCommand(&root, "restore",
                                 "copy a backup into a new data folder (--data), checked "
                                 "against the key (--key-file) before it takes that name",
                                 Command::kRestore, o, config);
  AddStore(restore, o);
  restore->add_option("--from", o->restore_from, "the backup folder.")
      ->type_name("DIR")
      ->required();
}
// pkg: end.
// `rotate-key --new-key-file FILE` (cli/rotate_command.cc).
void AddRotateCommand(CLI::App& root, Options* o, CLI::Option* config) {
  CLI::App* rotate = AddCommand(&root, "rotate-key",
                                "re-seal every response under a new data key (server "
                                "stopped); run again after an interruption to finish",
                                Command::kRotateKey, o, config);
  AddStore(rotate, o);
  rotate
      ->add_option("--new-key-file", o->new_key_file,
                   "the new data key (made, mode 0600, if missing), outside the data folder; "
                   "put it beside --key-file. Once done it is the data key: point --key-file "
                   "at it.")
      ->type_name("FILE")
      ->required();
  AddNumber(rotate, "--batch-responses", &o->rotate_batch, 1, 1'000'000,
            "responses re-sealed per synced write. Default: 4096.");
}

// The root app: the subcommands, --version, and the option CLI11 reads config files from.
void Build(CLI::App& root, Options* o) {
  root.set_version_flag("--version", std::string("candour ") + CANDOUR_VERSION);
  root.require_subcommand(1);
  root.allow_extras();  // named by Extras(), as "unknown option" or "unexpected argument"
  root.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  const char* env = std::getenv("CANDOUR_CONFIG");
  const bool env_config = env && *env;
  // CLI11 reads the config file before the environment, so CANDOUR_CONFIG is its default,
  // required (a missing file is an error) once named.
  CLI::Option* config = root.set_config("--config", env_config ? env : "",
                                        "read options from FILE (also CANDOUR_CONFIG)", env_config);
  config->type_name("FILE");
  root.config_formatter(std::make_shared<ConfigFile>(root));
  root.allow_config_extras(CLI::config_extras_mode::error);
  AddServe(root, o, config);
  AddDataCommands(root, o, config);
  AddAdminCommands(root, o, config);
  AddCodes(root, o, config);
  AddComments(root, o, config);
  AddSafetyCommands(root, o, config);  // safety:
  AddBackupCommands(root, o, config);  // pkg
  AddRotateCommand(root, o, config);
  root.footer(kPrecedence);
}

// The first argument no command took, as a usage error, or nullopt.
std::optional<std::string> Extras(const CLI::App& root) {
  const std::vector<std::string> left = root.remaining(true);
  if (left.empty()) return std::nullopt;
  return (left.front().starts_with("-") ? "unknown option " : "unexpected argument ") +
         left.front();
}

// "candour serve --help", or whichever command was being parsed.
std::string HelpHint(const CLI::App& root) {
  std::string command = "candour";
  for (auto subs = root.get_subcommands(); !subs.empty(); subs = subs.front()->get_subcommands()) {
    command += " " + subs.front()->get_name();
  }
  return "Run `" + command + " --help` for its options.";
}

int UsageError(const CLI::App& root, const std::string& why) {
  std::cerr << "candour: " << why << "\n" << HelpHint(root) << "\n";
  return kExitUsage;
}

// Why parsing failed: CLI11's message, or the word that is no command.
std::string Why(const CLI::App& root, const CLI::ParseError& e,
                const std::vector<std::string>& args) {
  if (root.get_subcommands().empty() && !args.empty() && !args.back().starts_with("-")) {
    return "unknown command " + args.back();
  }
  return e.what();
}

}  // namespace

CommandLine ParseCommandLine(int argc, const char* const* argv) {
  CommandLine line;
  CLI::App root("candour: an anonymous survey service in one binary.", "candour");
  Build(root, &line.options);
  // `candour help [COMMAND...]` is `candour [COMMAND...] --help`, as before CLI11.
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  if (!args.empty() && args.front() == "help") {
    args.erase(args.begin());
    args.push_back("--help");
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  const std::vector<std::string> given = args;
  try {
    root.parse(args);
  } catch (const CLI::Success& e) {  // --help, --version
    line.exit_code = root.exit(e, std::cout, std::cerr);
    return line;
  } catch (const CLI::ParseError& e) {
    line.exit_code = UsageError(root, Why(root, e, given));
    return line;
  }
  if (auto extra = Extras(root)) {
    line.exit_code = UsageError(root, *extra);
    return line;
  }
  Options& o = line.options;
  if (o.comments_key.empty()) o.comments_key = o.key_file.parent_path() / "candour-comments.pub";
  return line;
}

}  // namespace candour::cli
