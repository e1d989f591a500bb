#include "cli/config_file.h"

#include <cstdlib>
#include <string>

namespace candour::cli {
namespace {

// The names of the subcommand chain being run, e.g. {"comments", "export"}, and its last app.
std::vector<std::string> ActivePath(const CLI::App& root, const CLI::App** leaf) {
  std::vector<std::string> path;
  *leaf = &root;
  for (auto subs = root.get_subcommands(); !subs.empty(); subs = subs.front()->get_subcommands()) {
    *leaf = subs.front();
    path.push_back((*leaf)->get_name());
  }
  return path;
}

// The subcommand at `path` under `root`, or nullptr.
const CLI::App* Find(const CLI::App& root, const std::vector<std::string>& path) {
  const CLI::App* app = &root;
  for (const std::string& name : path) {
    const auto subs =
        app->get_subcommands([&](const CLI::App* s) { return s->get_name() == name; });
    if (subs.empty()) return nullptr;
    app = subs.front();
  }
  return app;
}

bool AnyCommandTakes(const CLI::App& app, const std::string& key) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_option_no_throw("--" + key) || AnyCommandTakes(*sub, key)) return true;
  }
  return false;
}

bool SetInEnvironment(const CLI::Option& option) {
  if (option.get_envname().empty()) return false;
  const char* value = std::getenv(option.get_envname().c_str());
  return value && *value;
}

std::string Dotted(const std::vector<std::string>& parents) {
  std::string out;
  for (const std::string& p : parents) out += (out.empty() ? "" : ".") + p;
  return out;
}

}  // namespace

std::vector<CLI::ConfigItem> ConfigFile::from_config(std::istream& input) const {
  const CLI::App* leaf = nullptr;
  const std::vector<std::string> path = ActivePath(root_, &leaf);
  std::vector<CLI::ConfigItem> kept;
  for (CLI::ConfigItem& item : CLI::ConfigTOML::from_config(input)) {
    if (item.name == "++" || item.name == "--") continue;  // section markers
    const bool in_section = !item.parents.empty();
    if (in_section && item.parents != path) {
      if (Find(root_, item.parents)) continue;  // another subcommand's section
      throw CLI::ConfigError("the config file has a section [" + Dotted(item.parents) +
                             "], which is no candour subcommand");
    }
    const CLI::Option* option = leaf->get_option_no_throw("--" + item.name);
    if (!option || !option->get_configurable()) {
      if (!in_section && AnyCommandTakes(root_, item.name)) continue;  // another's option
      throw CLI::ConfigError(
          "the config file sets \"" + item.fullname() + "\", which is no " +
          (in_section ? "option of candour " + Dotted(path) : std::string("candour option")));
    }
    if (SetInEnvironment(*option)) continue;  // the environment wins over the file
    item.parents = path;
    kept.push_back(std::move(item));
  }
  return kept;
}

}  // namespace candour::cli
