#include "server/pages.h"

#include "server/codec.h"

namespace candour::server {
namespace {

// Where "Leave this page quickly" goes: a neutral page, opened without a referrer.
constexpr char kQuickExitUrl[] = "https://www.bbc.co.uk/weather";

std::string Head(std::string_view lang, std::string_view title) {
  std::string out = "<!doctype html>\n<html lang=\"" + HtmlEscape(lang) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<title>" + HtmlEscape(title) + "</title>\n";
  out += "<link rel=\"stylesheet\" href=\"/static/candour.css\">\n</head>\n<body>\n";
  return out;
}

std::string QuickExit() {
  return std::string("<a class=\"quick-exit\" href=\"") + kQuickExitUrl +
         "\" rel=\"noreferrer noopener\">Leave this page quickly</a>\n";
}

constexpr char kTail[] = "</main>\n</body>\n</html>\n";

std::string PrivacyNotice() {
  return "<section class=\"privacy\" aria-labelledby=\"privacy-heading\">\n"
         "<h2 id=\"privacy-heading\">Your answers are anonymous</h2>\n"
         "<p><strong>What we keep:</strong> only your answers, encrypted, and the week you "
         "sent them.</p>\n"
         "<p><strong>What we do not keep:</strong> your name, your IP address, the exact time, "
         "or anything about your phone or browser. This page sets no cookies.</p>\n"
         "<p>Every question is optional. Results are only published for groups of at least 10 "
         "people, so no one can be picked out.</p>\n"
         "</section>\n";
}

std::string ChoiceQuestion(const Question& q, const std::string& lang, const std::string& def) {
  const bool multi = q.type == QuestionType::kMulti;
  std::string out = "<fieldset>\n<legend>" + HtmlEscape(q.text.In(lang, def)) + "</legend>\n";
  if (multi) out += "<p class=\"hint\">Choose all that apply.</p>\n";
  for (const Option& o : q.options) {
    const std::string id = HtmlEscape(q.id + "-" + o.id);
    out += "<div class=\"option\"><input type=\"" + std::string(multi ? "checkbox" : "radio") +
           "\" id=\"" + id + "\" name=\"" + HtmlEscape(q.id) + "\" value=\"" + HtmlEscape(o.id) +
           "\"><label for=\"" + id + "\">" + HtmlEscape(o.label.In(lang, def)) + "</label></div>\n";
  }
  return out + "</fieldset>\n";
}

std::string ScaleQuestion(const Question& q, const std::string& lang, const std::string& def) {
  std::string out = "<fieldset>\n<legend>" + HtmlEscape(q.text.In(lang, def)) + "</legend>\n";
  out += "<p class=\"hint\">From " + std::to_string(q.min) + " to " + std::to_string(q.max) +
         ".</p>\n<div class=\"scale\">\n";
  for (int64_t v = q.min; v <= q.max; ++v) {
    const std::string id = HtmlEscape(q.id) + "-" + std::to_string(v);
    out += "<div class=\"option\"><input type=\"radio\" id=\"" + id + "\" name=\"" +
           HtmlEscape(q.id) + "\" value=\"" + std::to_string(v) + "\"><label for=\"" + id +
           "\">" + std::to_string(v) + "</label></div>\n";
  }
  return out + "</div>\n</fieldset>\n";
}

std::string TextQuestion(const Question& q, const std::string& lang, const std::string& def) {
  const std::string id = HtmlEscape(q.id);
  return "<div class=\"text-question\">\n<label class=\"block\" for=\"" + id + "\">" +
         HtmlEscape(q.text.In(lang, def)) + "</label>\n<p class=\"hint\" id=\"" + id +
         "-hint\">Please do not write names or anything that could identify you or others. "
         "At most " + std::to_string(q.max_length) + " characters.</p>\n<textarea id=\"" + id +
         "\" name=\"" + id + "\" rows=\"4\" maxlength=\"" + std::to_string(q.max_length) +
         "\" aria-describedby=\"" + id + "-hint\"></textarea>\n</div>\n";
}

}  // namespace

std::string RenderForm(const Survey& survey, const std::string& lang, const std::string& src,
                       const Rejection* error) {
  const std::string& def = survey.default_language();
  std::string out = Head(lang, survey.title.In(lang, def)) + QuickExit() + "<main>\n";
  out += "<h1>" + HtmlEscape(survey.title.In(lang, def)) + "</h1>\n";
  if (survey.demo) {
    out += "<p class=\"demo-note\"><strong>Demo survey.</strong> This survey is for trying "
           "Candour out: its results mix your answers with synthetic ones.</p>\n";
  }
  if (const std::string& intro = survey.intro.In(lang, def); !intro.empty()) {
    out += "<p>" + HtmlEscape(intro) + "</p>\n";
  }
  if (error) {
    out += "<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><p>" +
           HtmlEscape(error->message) + "</p></div>\n";
  }
  out += PrivacyNotice();
  out += "<form method=\"post\" action=\"/s/" + HtmlEscape(survey.id) +
         "/responses\" accept-charset=\"utf-8\">\n";
  out += "<input type=\"hidden\" name=\"lang\" value=\"" + HtmlEscape(lang) + "\">\n";
  if (!src.empty()) out += "<input type=\"hidden\" name=\"src\" value=\"" + HtmlEscape(src) + "\">\n";
  std::string group;
  bool about_you = false;
  for (const Question& q : survey.questions) {
    if (q.group != group) {
      group = q.group;
      if (const Group* g = survey.FindGroup(group)) {
        out += "<h2>" + HtmlEscape(g->text.In(lang, def)) + "</h2>\n";
      }
    }
    if (q.dimension && !about_you) {
      about_you = true;
      out += "<h2>About you</h2>\n<p class=\"section-note\">These help us see whether trust "
             "differs between groups and areas. Each is optional.</p>\n";
    }
    switch (q.type) {
      case QuestionType::kSingle:
      case QuestionType::kMulti: out += ChoiceQuestion(q, lang, def); break;
      case QuestionType::kScale: out += ScaleQuestion(q, lang, def); break;
      case QuestionType::kText: out += TextQuestion(q, lang, def); break;
    }
  }
  out += "<button type=\"submit\">Send my answers</button>\n</form>\n";
  return out + kTail;
}

std::string RenderPoster(const Survey& survey, const std::string& lang, const std::string& src,
                         const std::string& link) {
  const std::string& def = survey.default_language();
  const std::string title = survey.title.In(lang, def);
  std::string qr = "/s/" + PercentEncode(survey.id) + "/qr.svg";
  if (!src.empty()) qr += "?src=" + PercentEncode(src);
  std::string out = Head(lang, title) + "<main class=\"poster\">\n";
  out += "<h1>" + HtmlEscape(title) + "</h1>\n";
  out += "<p class=\"poster-ask\">Tell us what you think. It takes about 3 minutes.</p>\n";
  out += "<img class=\"poster-qr\" src=\"" + HtmlEscape(qr) + "\" alt=\"QR code for " +
         HtmlEscape(link) + "\" width=\"320\" height=\"320\">\n";
  out += "<p class=\"poster-link\">Scan the code, or type <strong>" + HtmlEscape(link) +
         "</strong></p>\n";
  out += "<p class=\"poster-promise\">Anonymous: we keep only your answers, encrypted, and the "
         "week you answered. No name, no IP address, no cookies. Every question is optional.</p>\n";
  return out + kTail;
}

std::string RenderThanks(const Survey& survey, const std::string& lang) {
  const std::string& def = survey.default_language();
  std::string out = Head(lang, "Thank you") + QuickExit() + "<main>\n";
  out += "<h1>Thank you</h1>\n<p>Your answers to &ldquo;" +
         HtmlEscape(survey.title.In(lang, def)) +
         "&rdquo; have been stored, encrypted and without anything that identifies you.</p>\n";
  out += "<p><a href=\"/r/" + HtmlEscape(survey.id) + "\">See the published results</a></p>\n";
  return out + kTail;
}

std::string RenderResults(const Survey& survey, const std::string& lang) {
  const std::string& def = survey.default_language();
  std::string out = Head(lang, "Results: " + survey.title.In(lang, def)) + "<main>\n";
  out += "<h1>Results: " + HtmlEscape(survey.title.In(lang, def)) + "</h1>\n";
  out += "<p>Results are published for completed periods only, and only for groups of at "
         "least 10 people. The results dashboard is not available yet.</p>\n";
  out += "<p><a href=\"/s/" + HtmlEscape(survey.id) + "\">Back to the survey</a></p>\n";
  return out + kTail;
}

std::string RenderMessage(std::string_view title, std::string_view message,
                          std::string_view lang) {
  std::string out = Head(lang, title) + "<main>\n";
  out += "<h1>" + HtmlEscape(title) + "</h1>\n<p>" + HtmlEscape(message) + "</p>\n";
  return out + kTail;
}

std::string RenderIndex(const std::vector<SurveyLink>& surveys) {
  std::string out = Head("en", "Candour surveys") + "<main>\n<h1>Surveys</h1>\n";
  if (surveys.empty()) out += "<p>There are no open surveys.</p>\n";
  out += "<ul>\n";
  for (const SurveyLink& s : surveys) {
    out += "<li><a href=\"/s/" + HtmlEscape(s.id) + "\">" + HtmlEscape(s.title) + "</a></li>\n";
  }
  return out + "</ul>\n" + kTail;
}

}  // namespace candour::server
