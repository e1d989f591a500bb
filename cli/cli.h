// The candour command line: options shared by every subcommand, and the subcommands that
// administer a stopped server's data (cli_admin.cc). main.cc parses and dispatches.
// Not thread-safe: used by main's thread only.
#pragma once

#include <boost/system/result.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace candour::cli {

namespace fs = std::filesystem;

struct Options {
  std::string command;
  fs::path data = "candour-data";
  fs::path key_file = "candour.key";
  std::string listen = "127.0.0.1:8080";
  std::string public_url;
  int threads = 2;
  bool group_commit = true;
  bool access_log = false;
  uint64_t rate_limit = 600;  // submissions per hour per address (surveys may set their own)
  int demo_responses = 6000;  // synthetic responses for a newly created demo survey
  std::string survey;         // import
  bool skip_invalid = false;  // import
  std::string format;         // import: csv or jsonl (default: from the file name)
  fs::path comments_key;      // the offline key's public half (default: beside key_file)
  bool rotate = false;        // admin-token
  int count = 0;              // codes
  fs::path public_file, secret_file;  // comments keygen
  fs::path secret_key;                // comments export
  std::vector<std::string> positional;
};

// Prints "candour: MESSAGE" to stderr and returns 1.
int Fail(const std::string& message);

// Opens the data folder with its key (creating both only when `may_create` and the folder is
// new); on failure prints why and returns the error.
boost::system::result<std::unique_ptr<store::Store>> OpenStore(const Options& o, bool may_create);

// The address residents use, for links in codes and QR codes.
std::string PublicUrl(const Options& o);

// Subcommands (cli_admin.cc); each returns the process exit code.
int AdminToken(const Options& o);
int Audit(const Options& o);
int SurveyCommand(const Options& o);
int CodesCommand(const Options& o);
int Comments(const Options& o);

}  // namespace candour::cli
