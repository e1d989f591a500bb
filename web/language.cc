#include "web/language.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace candour::web {
namespace {

// The q of one Accept-Language entry's parameters (";q=0.8"); 1 if none is given.
double Quality(std::string_view params) {
  const size_t eq = params.find("q=");
  if (eq == std::string_view::npos) return 1;
  return std::atof(std::string(params.substr(eq + 2)).c_str());
}

}  // namespace

std::string ChooseLanguage(const survey::Survey& survey, std::string_view query_lang,
                           std::string_view accept_language) {
  auto supported = [&](std::string_view l) {
    return std::find(survey.languages.begin(), survey.languages.end(), l) != survey.languages.end();
  };
  if (supported(query_lang)) return std::string(query_lang);
  std::string best;
  double best_q = 0;
  while (!accept_language.empty()) {
    const size_t comma = accept_language.find(',');
    std::string_view item = accept_language.substr(0, comma);
    accept_language = comma == std::string_view::npos ? "" : accept_language.substr(comma + 1);
    double q = 1;
    if (const size_t semi = item.find(';'); semi != std::string_view::npos) {
      q = Quality(item.substr(semi + 1));
      item = item.substr(0, semi);
    }
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    std::string primary(item.substr(0, item.find('-')));
    for (char& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (q > best_q && supported(primary)) best = primary, best_q = q;
  }
  return best.empty() ? survey.default_language() : best;
}

}  // namespace candour::web
