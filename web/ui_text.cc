#include "web/ui_text.h"

#include <boost/json.hpp>
#include <cassert>
#include <set>

#include "survey/text_codec.h"
#include "web/assets.h"
#include "web/html.h"

namespace candour::web {
namespace {

std::set<std::string> Placeholders(std::string_view text) {
  std::set<std::string> names;
  for (size_t open = text.find('{'); open != std::string_view::npos;
       open = text.find('{', open + 1)) {
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    names.emplace(text.substr(open + 1, close - open - 1));
  }
  return names;
}

// Replaces each {name} of `text` (already in its output form) with its argument.
std::string Substitute(std::string text, const UiText::Args& args) {
  for (const auto& [name, value] : args) {
    const std::string token = std::string("{").append(name).append("}");
    if (const size_t at = text.find(token); at != std::string::npos) {
      text.replace(at, token.size(), value);
    }
  }
  return text;
}

}  // namespace

boost::system::result<UiText, std::string> UiText::Parse(std::string_view json) {
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(json, ec);
  if (ec || !doc.is_object()) return std::string("expected a JSON object of languages");
  const auto* en = doc.as_object().if_contains("en");
  if (!en || !en->is_object()) return std::string("en: expected the English table");
  UiText ui;
  ui.languages_.push_back("en");
  for (const auto& [lang_key, table] : doc.as_object()) {
    const std::string lang(lang_key);
    if (!table.is_object()) return lang + ": expected an object of strings";
    if (lang != "en") ui.languages_.push_back(lang);
    auto& out = ui.tables_[lang];
    for (const auto& [key, text] : table.as_object()) {
      if (!text.is_string() || text.as_string().empty()) {
        return lang + "." + std::string(key) + ": expected a non-empty string";
      }
      out.emplace(std::string(key), std::string(text.as_string()));
    }
  }
  const auto& english = ui.tables_["en"];
  for (const auto& [lang, table] : ui.tables_) {
    for (const auto& [key, text] : english) {
      const auto it = table.find(key);
      if (it == table.end()) return lang + "." + key + ": missing";
      if (Placeholders(it->second) != Placeholders(text)) {
        return lang + "." + key + ": expected the placeholders of the English text";
      }
    }
    if (table.size() != english.size()) return lang + ": has keys that English does not";
  }
  return ui;
}

const UiText& UiText::BuiltIn() {
  // Immutable data parsed once on first use (thread-safe static initialisation).
  static const UiText built_in = [] {
    auto parsed = Parse(UiStringsJson());
    assert(parsed && "web/i18n/ui.json is invalid; ui_text_test says why");
    return parsed ? std::move(*parsed) : UiText();
  }();
  return built_in;
}

const std::string& UiText::Raw(std::string_view lang, std::string_view key) const {
  auto table = tables_.find(lang);
  if (table == tables_.end()) table = tables_.find(std::string_view("en"));
  static const std::string kMissing = "?";
  if (table == tables_.end()) return kMissing;
  const auto it = table->second.find(key);
  assert(it != table->second.end() && "unknown UI string key");
  return it == table->second.end() ? kMissing : it->second;
}

std::string UiText::Plain(std::string_view lang, std::string_view key, const Args& args) const {
  return Substitute(Raw(lang, key), args);
}

std::string UiText::Html(std::string_view lang, std::string_view key, const Args& args) const {
  return Substitute(HtmlEscape(Raw(lang, key)), args);
}

}  // namespace candour::web
