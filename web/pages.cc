#include "web/pages.h"

#include <cassert>

#include "survey/text_codec.h"
#include "web/locale_format.h"
#include "web/ui_text.h"

namespace candour::web {
namespace {

using html::Element;
using html::Fragment;

// Where "Leave this page quickly" goes: a neutral page, opened without a referrer.
constexpr char kQuickExitUrl[] = "https://www.bbc.co.uk/weather";

const UiText& Ui() { return UiText::BuiltIn(); }

Element QuickExit(const std::string& lang) {
  return Element("a")
      .Attr("class", "quick-exit")
      .Attr("href", kQuickExitUrl)
      .Attr("rel", "noreferrer noopener")
      .Child(Ui().Html(lang, "quick_exit"));
}

// <p><strong>label</strong> text</p>
Element Labelled(const std::string& lang, std::string_view label, std::string_view text) {
  return Element("p")
      .Child(Element("strong").Child(Ui().Html(lang, label)))
      .Text(" ")
      .Child(Ui().Html(lang, text));
}

Element PrivacyNotice(const survey::Survey& survey, const std::string& lang) {
  const char* keep =
      survey.period == stats::PeriodKind::kMonth ? "privacy_keep_month" : "privacy_keep_week";
  return Element("section")
      .Attr("class", "privacy")
      .Attr("aria-labelledby", "privacy-heading")
      .Child("\n")
      .Line(Element("h2").Attr("id", "privacy-heading").Child(Ui().Html(lang, "privacy_heading")))
      .Line(Labelled(lang, "privacy_keep_label", keep))
      .Line(Labelled(lang, "privacy_not_keep_label", "privacy_not_keep"))
      .Line(Element("p").Child(
          Ui().Html(lang, "privacy_optional", {{"threshold", std::to_string(survey.threshold)}})));
}

Element Hint(const html::Fragment& text) { return Element("p").Attr("class", "hint").Child(text); }

// <div class="option"><input ...><label for>label</label></div>
Element Option(std::string_view type, const std::string& id, std::string_view name,
               std::string_view value, std::string_view label) {
  return Element("div")
      .Attr("class", "option")
      .Child(Element("input")
                 .Attr("type", type)
                 .Attr("id", id)
                 .Attr("name", name)
                 .Attr("value", value))
      .Child(Element("label").Attr("for", id).Text(label));
}

// The id of the line that says who a conditional question is for.
std::string ConditionId(const survey::Question& q) { return q.id + "-when"; }

// "Only if you answered “Yes” to “Have you been stopped...?”", naming the condition's question
// by its short text if it has one. Everyone sees the question (the form works without
// JavaScript); the answer of anyone it is not for is not stored.
Element ConditionNote(const survey::Survey& survey, const survey::Question& q,
                      const std::string& lang, const std::string& def) {
  assert(q.when);
  const survey::Question* on = survey.FindQuestion(q.when->question);
  assert(on && "ParseSurvey checks that the condition's question exists");
  std::vector<std::string> labels;
  for (const std::string& id : q.when->answers) {
    const int i = on->OptionIndex(id);
    const std::string& label = i < 0 ? id : on->options[static_cast<size_t>(i)].label.In(lang, def);
    labels.push_back(Ui().Plain(lang, "condition_answer", {{"answer", label}}));
  }
  std::string answers = labels.back();
  if (labels.size() > 1) {
    std::string first = labels.front();
    for (size_t i = 1; i + 1 < labels.size(); ++i) first += ", " + labels[i];
    answers = Ui().Plain(lang, "condition_or", {{"first", first}, {"last", labels.back()}});
  }
  const std::string& short_text = on->short_text.In(lang, def);
  return Element("p")
      .Attr("class", "hint condition")
      .Attr("id", ConditionId(q))
      .Child(Ui().Html(lang, "condition_only_if",
                       {{"answers", answers},
                        {"question", short_text.empty() ? on->text.In(lang, def) : short_text}}));
}

// A question's fieldset: described by its condition's line when it has one.
Element Fieldset(const survey::Question& q) {
  Element set("fieldset");
  if (q.when) set.Attr("aria-describedby", ConditionId(q));
  return set;
}

Element ChoiceQuestion(const survey::Survey& survey, const survey::Question& q,
                       const std::string& lang, const std::string& def) {
  const bool multi = q.type == survey::QuestionType::kMulti;
  Element set = Fieldset(q);
  set.Child("\n").Line(Element("legend").Text(q.text.In(lang, def)));
  if (q.when) set.Line(ConditionNote(survey, q, lang, def));
  if (multi) set.Line(Hint(Ui().Html(lang, "choose_all")));
  for (const survey::Option& o : q.options) {
    set.Line(
        Option(multi ? "checkbox" : "radio", q.id + "-" + o.id, q.id, o.id, o.label.In(lang, def)));
  }
  return set;
}

Element ScaleQuestion(const survey::Survey& survey, const survey::Question& q,
                      const std::string& lang, const std::string& def) {
  Element scale("div");
  scale.Attr("class", "scale").Child("\n");
  for (int64_t v = q.min; v <= q.max; ++v) {
    const std::string value = std::to_string(v);
    scale.Line(Option("radio", q.id + "-" + value, q.id, value, value));
  }
  Element set = Fieldset(q);
  set.Child("\n").Line(Element("legend").Text(q.text.In(lang, def)));
  if (q.when) set.Line(ConditionNote(survey, q, lang, def));
  return std::move(set)
      .Line(Hint(Ui().Html(lang, "scale_hint",
                           {{"min", std::to_string(q.min)}, {"max", std::to_string(q.max)}})))
      .Line(std::move(scale));
}

Element TextQuestion(const survey::Survey& survey, const survey::Question& q,
                     const std::string& lang, const std::string& def) {
  const std::string hint_id = q.id + "-hint";
  Element question("div");
  question.Attr("class", "text-question")
      .Child("\n")
      .Line(Element("label").Attr("class", "block").Attr("for", q.id).Text(q.text.In(lang, def)));
  if (q.when) question.Line(ConditionNote(survey, q, lang, def));
  return std::move(question)
      .Line(Element("p")
                .Attr("class", "hint")
                .Attr("id", hint_id)
                .Child(Ui().Html(lang, "text_hint", {{"max", std::to_string(q.max_length)}})))
      .Line(Element("textarea")
                .Attr("id", q.id)
                .Attr("name", q.id)
                .Attr("rows", "4")
                .Attr("maxlength", std::to_string(q.max_length))
                .Attr("aria-describedby", q.when ? ConditionId(q) + " " + hint_id : hint_id));
}

Element Question(const survey::Survey& survey, const survey::Question& q, const std::string& lang,
                 const std::string& def) {
  switch (q.type) {
    case survey::QuestionType::kScale:
      return ScaleQuestion(survey, q, lang, def);
    case survey::QuestionType::kText:
      return TextQuestion(survey, q, lang, def);
    case survey::QuestionType::kSingle:
    case survey::QuestionType::kMulti:
      break;
  }
  return ChoiceQuestion(survey, q, lang, def);
}

Fragment Questions(const survey::Survey& survey, const std::string& lang) {
  const std::string& def = survey.default_language();
  Fragment out;
  std::string group;
  bool about_you = false;
  for (const survey::Question& q : survey.questions) {
    if (q.group != group) {
      group = q.group;
      if (const survey::Group* g = survey.FindGroup(group)) {
        out.Line(Element("h2").Text(g->text.In(lang, def)));
      }
    }
    if (q.dimension && !about_you) {
      about_you = true;
      out.Line(Element("h2").Child(Ui().Html(lang, "about_you_heading")));
      out.Line(Element("p").Attr("class", "section-note").Child(Ui().Html(lang, "about_you_note")));
    }
    out.Line(Question(survey, q, lang, def));
  }
  return out;
}

// <div class="error-summary" role="alert"><h2>heading</h2><p>message</p></div>
Element ErrorSummary(const std::string& lang, const html::Fragment& message) {
  return Element("div")
      .Attr("class", "error-summary")
      .Attr("role", "alert")
      .Child(Element("h2").Child(Ui().Html(lang, "error_heading")))
      .Child(Element("p").Child(message));
}

Element Hidden(std::string_view name, std::string_view value) {
  return Element("input").Attr("type", "hidden").Attr("name", name).Attr("value", value);
}

Element Button(const std::string& lang, std::string_view key) {
  return Element("button").Attr("type", "submit").Child(Ui().Html(lang, key));
}

// The page's <main>, opened with a newline so its children start on their own lines.
Element Main() { return Element("main").Child("\n"); }

}  // namespace

// Links to the page in each of the survey's other languages, each named in its own language.
Fragment LanguageSwitch(const survey::Survey& survey, const std::string& lang,
                        const std::string& base, const std::string& src) {
  if (survey.languages.size() < 2) return {};
  Element list("ul");
  list.Child("\n");
  for (const std::string& l : survey.languages) {
    std::string href = base + "?lang=" + survey::PercentEncode(l);
    if (!src.empty()) href += "&src=" + survey::PercentEncode(src);
    Element a("a");
    a.Attr("href", href).Attr("hreflang", l).Attr("lang", l);
    if (l == lang) a.Attr("aria-current", "page");
    a.Text(Ui().Has(l) ? Ui().Plain(l, "language_name") : l);
    list.Line(Element("li").Child(std::move(a)));
  }
  return Fragment().Line(Element("nav")
                             .Attr("class", "languages")
                             .Attr("aria-label", Ui().Plain(lang, "language_switch"))
                             .Child("\n")
                             .Line(std::move(list)));
}

std::string Page(std::string_view lang, std::string_view title, bool script,
                 const html::Fragment& body, int refresh_seconds, std::string_view referrer) {
  Element head("head");
  head.Child("\n")
      .Line(Element("meta").Attr("charset", "utf-8"))
      .Line(Element("meta")
                .Attr("name", "viewport")
                .Attr("content", "width=device-width, initial-scale=1"))
      .Line(Element("meta").Attr("name", "referrer").Attr("content", referrer))
      .Line(Element("title").Text(title))
      .Line(Element("link")
                .Attr("rel", "icon")
                .Attr("href", "/static/favicon.svg")
                .Attr("type", "image/svg+xml"))
      .Line(Element("link").Attr("rel", "stylesheet").Attr("href", "/static/candour.css"));
  if (refresh_seconds > 0) {
    head.Line(Element("meta")
                  .Attr("http-equiv", "refresh")
                  .Attr("content", std::to_string(refresh_seconds)));
  }
  if (script) head.Line(Element("script").Attr("src", "/static/candour.js").Attr("defer"));
  return Fragment("<!doctype html>\n")
      .Line(Element("html")
                .Attr("lang", lang)
                .Child("\n")
                .Line(std::move(head))
                .Line(Element("body").Child("\n").Child(body)))
      .str();
}

namespace {

// The residents' form; `preview`: the organisers' preview of it (see RenderFormPreview).
std::string FormPage(const survey::Survey& survey, const std::string& lang, const std::string& src,
                     const survey::Rejection* error, const std::string& code, bool preview) {
  const std::string& def = survey.default_language();
  const std::string title = survey.title.In(lang, def);
  Element main = Main();
  if (preview) {
    // In English, the organisers' language, whatever the page's.
    main.Line(
        Element("div")
            .Attr("class", "preview-note")
            .Attr("role", "note")
            .Attr("lang", "en")
            .Child(Element("p").Child(Element("strong").Text("Preview: answers are not recorded.")))
            .Child(Element("p")
                       .Text("This is the form as residents see it; its button sends "
                             "nothing. ")
                       .Child(Element("a").Attr("href", "/admin").Text("Back to the console"))));
  }
  main.Child(LanguageSwitch(
      survey, lang, preview ? "/admin/surveys/" + survey.id + "/preview" : "/s/" + survey.id, src));
  main.Line(Element("h1").Text(title));
  if (survey.demo) {
    main.Line(Labelled(lang, "demo_label", "demo_form").Attr("class", "demo-note"));
  }
  if (const std::string& intro = survey.intro.In(lang, def); !intro.empty()) {
    main.Line(Element("p").Text(intro));
  }
  if (error) main.Line(ErrorSummary(lang, Fragment().Text(error->message)));
  main.Line(PrivacyNotice(survey, lang));
  const std::string total = std::to_string(survey.questions.size());
  // Without JavaScript this says how long the form is; candour.js turns it into a live count.
  main.Line(Element("p")
                .Attr("class", "form-length")
                .Attr("id", "form-progress")
                .Attr("data-progress", Ui().Plain(lang, "progress_answered"))
                .Attr("data-total", total)
                .Child(Ui().Html(lang, "form_length", {{"total", total}})));
  Element form("form");
  form.Attr("method", "post");
  // A preview's form has no action and its button is disabled: nothing can be sent from it.
  if (!preview) form.Attr("action", "/s/" + survey.id + "/responses");
  form.Attr("accept-charset", "utf-8").Child("\n").Line(Hidden("lang", lang));
  if (!src.empty()) form.Line(Hidden("src", src));
  if (!code.empty()) form.Line(Hidden("code", code));
  form.Child(Questions(survey, lang));
  form.Line(preview ? Button(lang, "submit").Attr("disabled") : Button(lang, "submit"));
  main.Line(std::move(form));
  return Page(lang, preview ? "Preview: " + title : title, true,
              Fragment().Line(QuickExit(lang)).Line(std::move(main)), 0,
              preview ? "same-origin" : "no-referrer");
}

}  // namespace

std::string RenderForm(const survey::Survey& survey, const std::string& lang,
                       const std::string& src, const survey::Rejection* error,
                       const std::string& code) {
  return FormPage(survey, lang, src, error, code, false);
}

std::string RenderFormPreview(const survey::Survey& survey, const std::string& lang) {
  return FormPage(survey, lang, "", nullptr, "", true);
}

std::string RenderCodeEntry(const survey::Survey& survey, const std::string& lang,
                            const std::string& problem_key) {
  const std::string title = survey.title.In(lang, survey.default_language());
  Element main = Main();
  main.Child(LanguageSwitch(survey, lang, "/s/" + survey.id, ""));
  main.Line(Element("h1").Text(title));
  if (!problem_key.empty()) main.Line(ErrorSummary(lang, Ui().Html(lang, problem_key)));
  main.Line(Element("h2").Child(Ui().Html(lang, "code_needed_title")));
  main.Line(Element("p").Child(Ui().Html(lang, "code_needed_body")));
  main.Line(Element("form")
                .Attr("method", "get")
                .Attr("action", "/s/" + survey.id)
                .Child("\n")
                .Line(Hidden("lang", lang))
                .Line(Element("label")
                          .Attr("class", "block")
                          .Attr("for", "code")
                          .Child(Ui().Html(lang, "code_field")))
                .Line(Element("input")
                          .Attr("class", "code-input")
                          .Attr("type", "text")
                          .Attr("id", "code")
                          .Attr("name", "code")
                          .Attr("autocomplete", "off")
                          .Attr("autocapitalize", "none")
                          .Attr("spellcheck", "false")
                          .Attr("maxlength", "32"))
                .Line(Button(lang, "code_continue")));
  return Page(lang, title, false, Fragment().Line(QuickExit(lang)).Line(std::move(main)));
}

namespace {

// The link spelled out on a poster; where it must wrap, it wraps before its "?src=..." rather
// than inside a word, so that whoever types it can still read it.
Element PosterLink(const std::string& link) {
  Element strong("strong");
  const size_t query = link.find('?');
  if (query == std::string::npos || query == 0) return std::move(strong).Text(link);
  return std::move(strong)
      .Text(link.substr(0, query))
      .Child(Element("wbr"))
      .Text(link.substr(query));
}

}  // namespace

std::string RenderPoster(const survey::Survey& survey, const std::string& lang,
                         const std::string& src, const std::string& link) {
  const std::string title = survey.title.In(lang, survey.default_language());
  std::string qr = "/s/" + survey::PercentEncode(survey.id) + "/qr.svg";
  if (!src.empty()) qr += "?src=" + survey::PercentEncode(src);
  Element main = Main();
  main.Attr("class", "poster");
  // Who runs it, when it closes and in which languages, where the survey says so.
  if (!survey.organisation.empty()) {
    main.Line(Element("p")
                  .Attr("class", "poster-by")
                  .Child(Ui().Html(lang, "poster_by", {{"organisation", survey.organisation}})));
  }
  main.Line(Element("h1").Text(title))
      .Line(Element("p").Attr("class", "poster-ask").Child(Ui().Html(lang, "poster_ask")))
      .Line(Element("img")
                .Attr("class", "poster-qr")
                .Attr("src", qr)
                .Attr("alt", Ui().Plain(lang, "poster_qr_alt", {{"link", link}}))
                .Attr("width", "320")
                .Attr("height", "320"))
      .Line(Element("p")
                .Attr("class", "poster-link")
                .Child(Ui().Html(lang, "poster_link", {{"link", PosterLink(link)}})));
  Element facts("p");
  facts.Attr("class", "poster-facts");
  if (survey.closes) {
    facts.Child(Ui().Html(lang, "poster_closes", {{"date", FormatDate(*survey.closes, lang)}}));
  }
  if (survey.languages.size() > 1) {
    Fragment names;
    for (size_t i = 0; i < survey.languages.size(); ++i) {
      const std::string& l = survey.languages[i];
      if (i > 0) names.Text(", ");
      names.Append(
          Element("span").Attr("lang", l).Text(Ui().Has(l) ? Ui().Plain(l, "language_name") : l));
    }
    if (survey.closes) facts.Child(" ");
    facts.Child(Ui().Html(lang, "poster_languages", {{"languages", std::move(names)}}));
  }
  if (survey.closes || survey.languages.size() > 1) main.Line(std::move(facts));
  // What is kept says the survey's own period, as the form's privacy notice does.
  const char* promise =
      survey.period == stats::PeriodKind::kMonth ? "poster_promise_month" : "poster_promise_week";
  main.Line(Element("p").Attr("class", "poster-promise").Child(Ui().Html(lang, promise)));
  if (!survey.contact.empty())
    main.Line(Element("p").Attr("class", "poster-contact").Text(survey.contact));
  return Page(lang, title, false, Fragment().Line(std::move(main)));
}

std::string RenderThanks(const survey::Survey& survey, const std::string& lang) {
  Element main = Main();
  main.Line(Element("h1").Child(Ui().Html(lang, "thanks_title")));
  main.Line(Element("p").Child(Ui().Html(
      lang, "thanks_body", {{"title", survey.title.In(lang, survey.default_language())}})));
  if (survey.public_results) {
    main.Line(Element("p").Child(
        Element("a")
            .Attr("href", "/r/" + survey.id + "?lang=" + survey::PercentEncode(lang))
            .Child(Ui().Html(lang, "thanks_results"))));
  }
  return Page(lang, Ui().Plain(lang, "thanks_title"), false,
              Fragment().Line(QuickExit(lang)).Line(std::move(main)));
}

std::string RenderMessage(std::string_view title, std::string_view message, std::string_view lang) {
  return Page(
      lang, title, false,
      Fragment().Line(Main().Line(Element("h1").Text(title)).Line(Element("p").Text(message))));
}

std::string RenderIndex(const std::vector<SurveyLink>& surveys) {
  Element main = Main();
  main.Line(Element("h1").Text("Surveys"));
  if (surveys.empty()) main.Line(Element("p").Text("There are no open surveys."));
  Element list("ul");
  list.Child("\n");
  for (const SurveyLink& s : surveys) {
    Element item("li");
    item.Child(Element("a").Attr("href", "/s/" + s.id).Text(s.title));
    if (s.public_results) {
      item.Child(" &middot; ").Child(Element("a").Attr("href", "/r/" + s.id).Text("results"));
    }
    list.Line(std::move(item));
  }
  main.Line(std::move(list));
  return Page("en", "Candour surveys", false, Fragment().Line(std::move(main)));
}

}  // namespace candour::web
