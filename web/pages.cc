#include "web/pages.h"

#include "survey/text_codec.h"
#include "web/html.h"
#include "web/qr.h"
#include "web/ui_text.h"

namespace candour::web {
namespace {

// Where "Leave this page quickly" goes: a neutral page, opened without a referrer.
constexpr char kQuickExitUrl[] = "https://www.bbc.co.uk/weather";
constexpr char kTail[] = "</main>\n</body>\n</html>\n";

const UiText& Ui() { return UiText::BuiltIn(); }

std::string QuickExit(const std::string& lang) {
  return std::string("<a class=\"quick-exit\" href=\"") + kQuickExitUrl +
         "\" rel=\"noreferrer noopener\">" + Ui().Html(lang, "quick_exit") + "</a>\n";
}

std::string PrivacyNotice(const survey::Survey& survey, const std::string& lang) {
  const char* keep =
      survey.period == stats::PeriodKind::kMonth ? "privacy_keep_month" : "privacy_keep_week";
  return "<section class=\"privacy\" aria-labelledby=\"privacy-heading\">\n"
         "<h2 id=\"privacy-heading\">" +
         Ui().Html(lang, "privacy_heading") +
         "</h2>\n"
         "<p><strong>" +
         Ui().Html(lang, "privacy_keep_label") + "</strong> " + Ui().Html(lang, keep) +
         "</p>\n<p><strong>" + Ui().Html(lang, "privacy_not_keep_label") + "</strong> " +
         Ui().Html(lang, "privacy_not_keep") + "</p>\n<p>" +
         Ui().Html(lang, "privacy_optional", {{"threshold", std::to_string(survey.threshold)}}) +
         "</p>\n</section>\n";
}

std::string ChoiceQuestion(const survey::Question& q, const std::string& lang,
                           const std::string& def) {
  const bool multi = q.type == survey::QuestionType::kMulti;
  std::string out = "<fieldset>\n<legend>" + HtmlEscape(q.text.In(lang, def)) + "</legend>\n";
  if (multi) out += "<p class=\"hint\">" + Ui().Html(lang, "choose_all") + "</p>\n";
  for (const survey::Option& o : q.options) {
    const std::string id = HtmlEscape(q.id + "-" + o.id);
    out += "<div class=\"option\"><input type=\"" + std::string(multi ? "checkbox" : "radio") +
           "\" id=\"" + id + "\" name=\"" + HtmlEscape(q.id) + "\" value=\"" + HtmlEscape(o.id) +
           "\"><label for=\"" + id + "\">" + HtmlEscape(o.label.In(lang, def)) + "</label></div>\n";
  }
  return out + "</fieldset>\n";
}

std::string ScaleQuestion(const survey::Question& q, const std::string& lang,
                          const std::string& def) {
  std::string out = "<fieldset>\n<legend>" + HtmlEscape(q.text.In(lang, def)) + "</legend>\n";
  out += "<p class=\"hint\">" +
         Ui().Html(lang, "scale_hint",
                   {{"min", std::to_string(q.min)}, {"max", std::to_string(q.max)}}) +
         "</p>\n<div class=\"scale\">\n";
  for (int64_t v = q.min; v <= q.max; ++v) {
    const std::string id = HtmlEscape(q.id) + "-" + std::to_string(v);
    out += "<div class=\"option\"><input type=\"radio\" id=\"" + id + "\" name=\"" +
           HtmlEscape(q.id) + "\" value=\"" + std::to_string(v) + "\"><label for=\"" + id + "\">" +
           std::to_string(v) + "</label></div>\n";
  }
  return out + "</div>\n</fieldset>\n";
}

std::string TextQuestion(const survey::Question& q, const std::string& lang,
                         const std::string& def) {
  const std::string id = HtmlEscape(q.id);
  return "<div class=\"text-question\">\n<label class=\"block\" for=\"" + id + "\">" +
         HtmlEscape(q.text.In(lang, def)) + "</label>\n<p class=\"hint\" id=\"" + id + "-hint\">" +
         Ui().Html(lang, "text_hint", {{"max", std::to_string(q.max_length)}}) +
         "</p>\n<textarea id=\"" + id + "\" name=\"" + id + "\" rows=\"4\" maxlength=\"" +
         std::to_string(q.max_length) + "\" aria-describedby=\"" + id +
         "-hint\"></textarea>\n</div>\n";
}

std::string Questions(const survey::Survey& survey, const std::string& lang) {
  const std::string& def = survey.default_language();
  std::string out, group;
  bool about_you = false;
  for (const survey::Question& q : survey.questions) {
    if (q.group != group) {
      group = q.group;
      if (const survey::Group* g = survey.FindGroup(group)) {
        out += "<h2>" + HtmlEscape(g->text.In(lang, def)) + "</h2>\n";
      }
    }
    if (q.dimension && !about_you) {
      about_you = true;
      out += "<h2>" + Ui().Html(lang, "about_you_heading") + "</h2>\n<p class=\"section-note\">" +
             Ui().Html(lang, "about_you_note") + "</p>\n";
    }
    switch (q.type) {
      case survey::QuestionType::kSingle:
      case survey::QuestionType::kMulti:
        out += ChoiceQuestion(q, lang, def);
        break;
      case survey::QuestionType::kScale:
        out += ScaleQuestion(q, lang, def);
        break;
      case survey::QuestionType::kText:
        out += TextQuestion(q, lang, def);
        break;
    }
  }
  return out;
}

}  // namespace

// Links to the page in each of the survey's other languages, each named in its own language.
std::string LanguageSwitch(const survey::Survey& survey, const std::string& lang,
                           const std::string& base, const std::string& src) {
  if (survey.languages.size() < 2) return "";
  std::string out =
      "<nav class=\"languages\" aria-label=\"" + Ui().Html(lang, "language_switch") + "\">\n<ul>\n";
  for (const std::string& l : survey.languages) {
    std::string href = base + "?lang=" + survey::PercentEncode(l);
    if (!src.empty()) href += "&src=" + survey::PercentEncode(src);
    const std::string name = Ui().Has(l) ? Ui().Html(l, "language_name") : HtmlEscape(l);
    out += "<li><a href=\"" + HtmlEscape(href) + "\" hreflang=\"" + HtmlEscape(l) + "\" lang=\"" +
           HtmlEscape(l) + "\"" + (l == lang ? " aria-current=\"page\"" : "") + ">" + name +
           "</a></li>\n";
  }
  return out + "</ul>\n</nav>\n";
}

std::string PageHead(std::string_view lang, std::string_view title, bool script) {
  std::string out = "<!doctype html>\n<html lang=\"" + HtmlEscape(lang) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<title>" + HtmlEscape(title) + "</title>\n";
  out += "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n";
  out += "<link rel=\"stylesheet\" href=\"/static/candour.css\">\n";
  if (script) out += "<script src=\"/static/candour.js\" defer></script>\n";
  return out + "</head>\n<body>\n";
}

std::string RenderForm(const survey::Survey& survey, const std::string& lang,
                       const std::string& src, const survey::Rejection* error,
                       const std::string& code) {
  const std::string& def = survey.default_language();
  const std::string title = survey.title.In(lang, def);
  std::string out = PageHead(lang, title, true) + QuickExit(lang) + "<main>\n";
  out += LanguageSwitch(survey, lang, "/s/" + survey.id, src);
  out += "<h1>" + HtmlEscape(title) + "</h1>\n";
  if (survey.demo) {
    out += "<p class=\"demo-note\"><strong>" + Ui().Html(lang, "demo_label") + "</strong> " +
           Ui().Html(lang, "demo_form") + "</p>\n";
  }
  if (const std::string& intro = survey.intro.In(lang, def); !intro.empty()) {
    out += "<p>" + HtmlEscape(intro) + "</p>\n";
  }
  if (error) {
    out += "<div class=\"error-summary\" role=\"alert\"><h2>" + Ui().Html(lang, "error_heading") +
           "</h2><p>" + HtmlEscape(error->message) + "</p></div>\n";
  }
  out += PrivacyNotice(survey, lang);
  const std::string total = std::to_string(survey.questions.size());
  // Without JavaScript this says how long the form is; candour.js turns it into a live count.
  out += "<p class=\"form-length\" id=\"form-progress\" data-progress=\"" +
         Ui().Html(lang, "progress_answered") + "\" data-total=\"" + total + "\">" +
         Ui().Html(lang, "form_length", {{"total", total}}) + "</p>\n";
  out += "<form method=\"post\" action=\"/s/" + HtmlEscape(survey.id) +
         "/responses\" accept-charset=\"utf-8\">\n";
  out += "<input type=\"hidden\" name=\"lang\" value=\"" + HtmlEscape(lang) + "\">\n";
  if (!src.empty())
    out += "<input type=\"hidden\" name=\"src\" value=\"" + HtmlEscape(src) + "\">\n";
  if (!code.empty()) {
    out += "<input type=\"hidden\" name=\"code\" value=\"" + HtmlEscape(code) + "\">\n";
  }
  out += Questions(survey, lang);
  out += "<button type=\"submit\">" + Ui().Html(lang, "submit") + "</button>\n</form>\n";
  return out + kTail;
}

std::string RenderCodeEntry(const survey::Survey& survey, const std::string& lang,
                            const std::string& problem_key) {
  const std::string& def = survey.default_language();
  const std::string title = survey.title.In(lang, def);
  std::string out = PageHead(lang, title, false) + QuickExit(lang) + "<main>\n";
  out += LanguageSwitch(survey, lang, "/s/" + survey.id, "");
  out += "<h1>" + HtmlEscape(title) + "</h1>\n";
  if (!problem_key.empty()) {
    out += "<div class=\"error-summary\" role=\"alert\"><h2>" + Ui().Html(lang, "error_heading") +
           "</h2><p>" + Ui().Html(lang, problem_key) + "</p></div>\n";
  }
  out += "<h2>" + Ui().Html(lang, "code_needed_title") + "</h2>\n<p>" +
         Ui().Html(lang, "code_needed_body") + "</p>\n";
  out += "<form method=\"get\" action=\"/s/" + HtmlEscape(survey.id) + "\">\n";
  out += "<input type=\"hidden\" name=\"lang\" value=\"" + HtmlEscape(lang) + "\">\n";
  out += "<label class=\"block\" for=\"code\">" + Ui().Html(lang, "code_field") + "</label>\n";
  out +=
      "<input class=\"code-input\" type=\"text\" id=\"code\" name=\"code\" autocomplete=\"off\" "
      "autocapitalize=\"none\" spellcheck=\"false\" maxlength=\"32\">\n";
  out += "<button type=\"submit\">" + Ui().Html(lang, "code_continue") + "</button>\n</form>\n";
  return out + kTail;
}

std::string RenderPoster(const survey::Survey& survey, const std::string& lang,
                         const std::string& src, const std::string& link) {
  const std::string& def = survey.default_language();
  const std::string title = survey.title.In(lang, def);
  std::string qr = "/s/" + survey::PercentEncode(survey.id) + "/qr.svg";
  if (!src.empty()) qr += "?src=" + survey::PercentEncode(src);
  std::string out = PageHead(lang, title, false) + "<main class=\"poster\">\n";
  out += "<h1>" + HtmlEscape(title) + "</h1>\n";
  out += "<p class=\"poster-ask\">" + Ui().Html(lang, "poster_ask") + "</p>\n";
  out += "<img class=\"poster-qr\" src=\"" + HtmlEscape(qr) + "\" alt=\"" +
         Ui().Html(lang, "poster_qr_alt", {{"link", HtmlEscape(link)}}) +
         "\" width=\"320\" height=\"320\">\n";
  out += "<p class=\"poster-link\">" +
         Ui().Html(lang, "poster_link", {{"link", "<strong>" + HtmlEscape(link) + "</strong>"}}) +
         "</p>\n";
  out += "<p class=\"poster-promise\">" + Ui().Html(lang, "poster_promise") + "</p>\n";
  return out + kTail;
}

std::string RenderThanks(const survey::Survey& survey, const std::string& lang) {
  const std::string& def = survey.default_language();
  std::string out =
      PageHead(lang, Ui().Plain(lang, "thanks_title"), false) + QuickExit(lang) + "<main>\n";
  out += "<h1>" + Ui().Html(lang, "thanks_title") + "</h1>\n<p>" +
         Ui().Html(lang, "thanks_body", {{"title", HtmlEscape(survey.title.In(lang, def))}}) +
         "</p>\n";
  if (survey.public_results) {
    out += "<p><a href=\"/r/" + HtmlEscape(survey.id) + "?lang=" + survey::PercentEncode(lang) +
           "\">" + Ui().Html(lang, "thanks_results") + "</a></p>\n";
  }
  return out + kTail;
}

std::string RenderMessage(std::string_view title, std::string_view message, std::string_view lang) {
  std::string out = PageHead(lang, title, false) + "<main>\n";
  out += "<h1>" + HtmlEscape(title) + "</h1>\n<p>" + HtmlEscape(message) + "</p>\n";
  return out + kTail;
}

std::string RenderIndex(const std::vector<SurveyLink>& surveys) {
  std::string out = PageHead("en", "Candour surveys", false) + "<main>\n<h1>Surveys</h1>\n";
  if (surveys.empty()) out += "<p>There are no open surveys.</p>\n";
  out += "<ul>\n";
  for (const SurveyLink& s : surveys) {
    out += "<li><a href=\"/s/" + HtmlEscape(s.id) + "\">" + HtmlEscape(s.title) + "</a>";
    if (s.public_results) out += " &middot; <a href=\"/r/" + HtmlEscape(s.id) + "\">results</a>";
    out += "</li>\n";
  }
  return out + "</ul>\n" + kTail;
}

std::string RenderCodeSheet(const survey::Survey& survey, const std::vector<std::string>& codes,
                            const std::function<std::string(const std::string&)>& link) {
  const std::string title = survey.title.In(survey.default_language(), "");
  std::string out = PageHead(survey.default_language(), title, false) +
                    "<main class=\"code-sheet\">\n<h1>" + HtmlEscape(title) + "</h1>\n<ul>\n";
  for (const std::string& code : codes) {
    const std::string url = link(code);
    out += "<li class=\"code-card\">" + QrSvg(url).value_or("") + "<p class=\"code\">" +
           HtmlEscape(code) + "</p><p class=\"code-link\">" + HtmlEscape(url) + "</p></li>\n";
  }
  return out + "</ul>\n</main>\n</body>\n</html>\n";
}

}  // namespace candour::web
