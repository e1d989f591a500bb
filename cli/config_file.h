// Reads candour's config file (--config FILE): CLI11's TOML/INI form, one option per line
// without its dashes (`threads = 4`, `data = "/var/lib/candour"`, `access-log = true`).
// A key applies to the subcommand being run; one that only another subcommand takes is
// skipped, so one file serves `serve` and the administration commands alike. A [serve] (or
// [comments.export]) section holds keys for that subcommand only. A key no subcommand takes is
// an error. The environment beats the file: a key whose option's variable is set is skipped.
// Not thread-safe: used while parsing, on main's thread.
#pragma once

#include <CLI/CLI.hpp>
#include <vector>

namespace candour::cli {

class ConfigFile : public CLI::ConfigTOML {
 public:
  // REQUIRES: `root` outlives this and is the app being parsed.
  explicit ConfigFile(const CLI::App& root) : root_(root) {}

  // Throws CLI::ConfigError naming a key or section no subcommand takes.
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

 private:
  const CLI::App& root_;
};

}  // namespace candour::cli
