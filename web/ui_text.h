// UiText: the interface strings of every page (buttons, notices, dashboard labels) in each
// language Candour speaks, from web/i18n/ui.json. Survey content (questions, options) is the
// survey's own and comes from its definition instead.
// Thread-safe: immutable after Load.
#pragma once

#include <boost/system/result.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace candour::web {

class UiText {
 public:
  using Args = std::vector<std::pair<std::string_view, std::string>>;

  // Parses a {"LANG": {"KEY": "TEXT"}} table. Every language must have exactly the keys of
  // "en" with the same {placeholders}; otherwise the error says which key of which language.
  [[nodiscard]] static boost::system::result<UiText, std::string> Parse(std::string_view json);

  // The table built into the binary (web/i18n/ui.json). It is checked by the tests, so a
  // broken table is a build defect: this asserts rather than returning an error.
  static const UiText& BuiltIn();

  // Languages with a full table, "en" first.
  const std::vector<std::string>& languages() const { return languages_; }
  bool Has(std::string_view lang) const { return tables_.contains(std::string(lang)); }

  // The text of `key` in `lang` (English if `lang` has no table), with each {name} replaced
  // by its argument as given. REQUIRES: `key` exists (a caller's bug otherwise).
  std::string Plain(std::string_view lang, std::string_view key, const Args& args = {}) const;
  // The same, HTML-escaped, with each {name} replaced by its argument as given: arguments are
  // HTML fragments the caller has escaped already (so a link or <strong> can be passed).
  std::string Html(std::string_view lang, std::string_view key, const Args& args = {}) const;

 private:
  const std::string& Raw(std::string_view lang, std::string_view key) const;

  std::vector<std::string> languages_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> tables_;
};

}  // namespace candour::web
