#include "web/ui_text.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cassert>
#include <set>

#include "survey/text_codec.h"
#include "web/assets.h"

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

// Calls literal(piece) for each stretch of `text` outside placeholders that have an argument
// and placeholder(argument) for each that has one, in order, in one pass (so an argument's own
// text is never searched for placeholders).
template <typename Arg, typename Literal, typename Placeholder>
void Substitute(std::string_view text, const std::vector<std::pair<std::string_view, Arg>>& args,
                Literal literal, Placeholder placeholder) {
  size_t done = 0;
  for (size_t open = text.find('{'); open != std::string_view::npos;
       open = text.find('{', open + 1)) {
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view name = text.substr(open + 1, close - open - 1);
    const auto arg =
        std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
    if (arg == args.end()) continue;
    literal(text.substr(done, open - done));
    placeholder(arg->second);
    done = close + 1;
    open = close;
  }
  literal(text.substr(done));
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
  std::string out;
  Substitute(
      Raw(lang, key), args, [&](std::string_view piece) { out.append(piece); },
      [&](const std::string& value) { out.append(value); });
  return out;
}

html::Fragment UiText::Html(std::string_view lang, std::string_view key,
                            const HtmlArgs& args) const {
  html::Fragment out;
  Substitute(
      Raw(lang, key), args, [&](std::string_view piece) { out.Text(piece); },
      [&](const HtmlArg& value) { out.Append(value.html()); });
  return out;
}

}  // namespace candour::web
