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

#include "web/html.h"

namespace candour::web {

// An argument of UiText::Html: text (escaped when it is placed) or HTML made by the builder.
class HtmlArg {
 public:
  HtmlArg(std::string_view text) { html_.Text(text); }              // NOLINT: implicit
  HtmlArg(const std::string& text) { html_.Text(text); }            // NOLINT: implicit
  HtmlArg(const char* text) { html_.Text(text); }                   // NOLINT: implicit
  HtmlArg(html::Fragment fragment) : html_(std::move(fragment)) {}  // NOLINT: implicit
  HtmlArg(html::Element element) : html_(std::move(element)) {}     // NOLINT: implicit
  const html::Fragment& html() const { return html_; }

 private:
  html::Fragment html_;
};

class UiText {
 public:
  using Args = std::vector<std::pair<std::string_view, std::string>>;
  using HtmlArgs = std::vector<std::pair<std::string_view, HtmlArg>>;

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
  // by its argument as given (a {name} without an argument stays as it is; arguments are
  // not searched for placeholders). REQUIRES: `key` exists (a caller's bug otherwise).
  std::string Plain(std::string_view lang, std::string_view key, const Args& args = {}) const;
  // The same as HTML: the text escaped, each {name} replaced by its argument (text is escaped
  // too; a builder fragment such as a link or <strong> is placed as it is).
  html::Fragment Html(std::string_view lang, std::string_view key, const HtmlArgs& args = {}) const;

 private:
  const std::string& Raw(std::string_view lang, std::string_view key) const;

  std::vector<std::string> languages_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> tables_;
};

}  // namespace candour::web
