#include "web/console_pages.h"

#include "web/html.h"
#include "web/pages.h"

namespace candour::web {
namespace {

using html::Element;
using html::Fragment;

// What each state change is called on its button and its confirmation page.
struct ChangeText {
  std::string_view change, verb, question, effect;
};
constexpr ChangeText kChanges[] = {
    {"open", "Open", "Open this survey?", "Residents can answer it from now on."},
    {"close", "Close", "Close this survey?",
     "Residents can no longer answer it; the answers given are kept."},
    {"publish", "Publish results", "Publish this survey's results?",
     "Anyone can see its protected results at its public dashboard."},
    {"unpublish", "Unpublish results", "Unpublish this survey's results?",
     "Its public dashboard says the results are not public."},
};
const ChangeText* Find(std::string_view change) {
  for (const auto& c : kChanges)
    if (c.change == change) return &c;
  return nullptr;
}

Element PostButton(const std::string& action, std::string_view label, const char* cls) {
  return Element("form")
      .Attr("method", "post")
      .Attr("action", action)
      .Attr("class", "console-inline")
      .Child(Element("button").Attr("type", "submit").Attr("class", cls).Text(label));
}

Element Header(bool signed_in) {
  Element header("header");
  header.Attr("class", "console-header").Child("\n");
  header.Line(Element("p").Attr("class", "console-brand").Text("Candour organiser console"));
  if (signed_in) {
    Element nav("nav");
    nav.Attr("aria-label", "Console")
        .Child(Element("a").Attr("href", "/admin").Text("Surveys"))
        .Child(Element("a").Attr("href", "/admin/new").Text("New survey"))
        .Child(Element("a").Attr("href", "/admin/audit").Text("Audit log"))
        .Child(Element("a").Attr("href", "/admin/token").Text("Admin token"))
        .Child(PostButton("/admin/sign-out", "Sign out", "secondary"));
    header.Line(std::move(nav));
  }
  return header;
}

Element Main() { return Element("main").Attr("class", "console").Attr("id", "main"); }

Element Problem(std::string_view text, const char* id = nullptr) {
  Element p("p");
  p.Attr("class", "console-problem").Attr("role", "alert");
  if (id) p.Attr("id", id);
  return std::move(p).Text(text);
}

std::string StateText(const ConsoleSurvey& s) {
  std::string out = s.open ? "Open" : "Closed";
  out += s.public_results ? ", results public" : ", results not public";
  if (s.requires_code) out += ", code required";
  return out;
}

}  // namespace

std::string ConsolePage(std::string_view title, bool signed_in, Element main) {
  return Page("en", std::string(title) + " - Candour console", false,
              Fragment().Line(Header(signed_in)).Line(std::move(main)), 0, "same-origin");
}

std::string RenderConsoleSignIn(std::string_view problem, std::string_view notice) {
  Element main = Main();
  main.Line(Element("h1").Text("Sign in"));
  if (!problem.empty()) main.Line(Problem(problem, "token-problem"));
  if (!notice.empty())
    main.Line(Element("p").Attr("class", "console-notice").Attr("role", "status").Text(notice));
  main.Line(Element("p").Text(
      "Sign in with the admin token: the service wrote it to the file candour-admin-token beside "
      "its data key when it first started, and \"candour admin-token --rotate\" or the "
      "console's token page replaces it. You stay signed in until you sign out or leave the "
      "console unused for a while."));
  Element input("input");
  input.Attr("type", "password")
      .Attr("id", "token")
      .Attr("name", "token")
      .Attr("autocomplete", "current-password")
      .Attr("required");
  if (!problem.empty())
    input.Attr("aria-describedby", "token-problem").Attr("aria-invalid", "true");
  main.Line(
      Element("form")
          .Attr("method", "post")
          .Attr("action", "/admin/sign-in")
          .Child("\n")
          .Line(Element("label").Attr("for", "token").Attr("class", "block").Text("Admin token"))
          .Line(std::move(input))
          .Line(Element("p").Child(Element("button").Attr("type", "submit").Text("Sign in"))));
  return ConsolePage("Sign in", false, std::move(main));
}

std::string RenderConsoleSurveys(const std::vector<ConsoleSurvey>& surveys,
                                 std::string_view notice) {
  Element main = Main();
  main.Line(Element("h1").Text("Surveys"));
  if (!notice.empty())
    main.Line(Element("p").Attr("class", "console-notice").Attr("role", "status").Text(notice));
  if (surveys.empty()) main.Line(Element("p").Text("There are no surveys yet."));
  for (const auto& s : surveys) {
    Element section("section");
    section.Attr("class", "console-survey").Attr("aria-labelledby", "survey-" + s.id).Child("\n");
    section.Line(Element("h2").Attr("id", "survey-" + s.id).Text(s.title.empty() ? s.id : s.title));
    Element facts("dl");
    facts.Attr("class", "console-facts").Child("\n");
    auto fact = [&](std::string_view term, std::string_view value) {
      facts.Line(Element("div").Child(Element("dt").Text(term)).Child(Element("dd").Text(value)));
    };
    fact("Id", s.id);
    fact("State", StateText(s));
    fact("Version", std::to_string(s.version));
    fact("Responses", std::to_string(s.responses) + " in all");
    if (!s.recent.empty()) {
      std::string recent;
      for (const auto& [label, n] : s.recent) {
        if (!recent.empty()) recent += "; ";
        recent += label + ": " + std::to_string(n);
      }
      fact("Latest periods", recent);
    }
    section.Line(std::move(facts));
    Element links("p");
    links.Attr("class", "console-links")
        .Child(Element("a").Attr("href", "/admin/surveys/" + s.id + "/preview").Text("Preview"))
        .Child(Element("a").Attr("href", "/admin/surveys/" + s.id + "/edit").Text("Edit"))
        .Child(Element("a").Attr("href", "/s/" + s.id).Text("Form"))
        .Child(Element("a").Attr("href", "/s/" + s.id + "/poster").Text("Poster"))
        .Child(Element("a").Attr("href", "/r/" + s.id).Text("Dashboard"))
        .Child(Element("a")
                   .Attr("href", "/admin/surveys/" + s.id + "/sources")
                   .Text("Sources and posters"))
        .Child(Element("a")
                   .Attr("href", "/admin/surveys/" + s.id + "/codes")
                   .Text("Single-use codes"));
    section.Line(std::move(links));
    Element actions("p");
    actions.Attr("class", "console-actions");
    const ChangeText& state = *Find(s.open ? "close" : "open");
    const ChangeText& results = *Find(s.public_results ? "unpublish" : "publish");
    for (const ChangeText* c : {&state, &results}) {
      actions.Child(Element("a")
                        .Attr("class", "console-button")
                        .Attr("href", "/admin/surveys/" + s.id + "/" + std::string(c->change))
                        .Text(std::string(c->verb) + "\xE2\x80\xA6"));
    }
    section.Line(std::move(actions));
    main.Line(std::move(section));
  }
  return ConsolePage("Surveys", true, std::move(main));
}

std::string RenderConsoleConfirm(const ConsoleSurvey& survey, std::string_view change) {
  const ChangeText* c = Find(change);
  Element main = Main();
  if (!c) return RenderConsoleMessage("Unknown action", "There is no such action.", true);
  main.Line(Element("h1").Text(c->question));
  main.Line(Element("p")
                .Child(Element("strong").Text(survey.title.empty() ? survey.id : survey.title))
                .Text(" (" + survey.id + ", version " + std::to_string(survey.version) + "). " +
                      StateText(survey) + "."));
  main.Line(Element("p").Text(c->effect));
  main.Line(Element("p").Text("The action is recorded in the audit log."));
  main.Line(Element("div")
                .Attr("class", "console-actions")
                .Child(PostButton("/admin/surveys/" + survey.id + "/" + std::string(change),
                                  c->verb, "primary"))
                .Child(Element("a").Attr("href", "/admin").Text("Cancel")));
  return ConsolePage(c->question, true, std::move(main));
}

std::string RenderConsoleCodes(const ConsoleSurvey& survey, std::string_view problem) {
  Element main = Main();
  main.Line(Element("h1").Text("Single-use codes"));
  main.Line(Element("p")
                .Child(Element("strong").Text(survey.title.empty() ? survey.id : survey.title))
                .Text(" (" + survey.id + ")" +
                      (survey.requires_code ? "" : ". This survey does not ask for a code.")));
  main.Line(Element("p")
                .Attr("class", "console-warning")
                .Text("The codes are shown once: the sheet is downloaded as a file. Save or "
                      "print it; the service keeps only a hash of each code and cannot show "
                      "them again. Asking again issues new codes."));
  Element input("input");
  input.Attr("type", "number")
      .Attr("id", "count")
      .Attr("name", "count")
      .Attr("min", "1")
      .Attr("max", "1000")
      .Attr("value", "12")
      .Attr("inputmode", "numeric")
      .Attr("required");
  Element form("form");
  form.Attr("method", "post")
      .Attr("action", "/admin/surveys/" + survey.id + "/codes")
      .Child("\n")
      .Line(Element("label")
                .Attr("for", "count")
                .Attr("class", "block")
                .Text("How many codes (1 to 1000)"));
  if (!problem.empty()) {
    form.Line(Problem(problem, "count-problem"));
    input.Attr("aria-describedby", "count-problem").Attr("aria-invalid", "true");
  }
  form.Line(std::move(input))
      .Line(Element("p").Child(
          Element("button").Attr("type", "submit").Text("Issue codes and download the sheet")));
  main.Line(std::move(form));
  return ConsolePage("Single-use codes", true, std::move(main));
}

std::string RenderConsoleAudit(bool intact, std::string_view verdict,
                               const std::vector<ConsoleAuditEntry>& newest_first) {
  Element main = Main();
  main.Line(Element("h1").Text("Audit log"));
  main.Line(Element("p")
                .Attr("class", intact ? "console-notice" : "console-problem")
                .Attr("role", "status")
                .Text(verdict));
  if (newest_first.empty()) {
    main.Line(Element("p").Text("Nothing has been recorded yet."));
    return ConsolePage("Audit log", true, std::move(main));
  }
  Element table("table");
  table.Attr("class", "summary console-audit").Child("\n");
  table.Line(Element("caption").Text("Every organiser action, newest first"));
  table.Line(
      Element("thead").Child(Element("tr")
                                 .Child(Element("th").Attr("scope", "col").Text("#"))
                                 .Child(Element("th").Attr("scope", "col").Text("Time (UTC)"))
                                 .Child(Element("th").Attr("scope", "col").Text("Action"))
                                 .Child(Element("th").Attr("scope", "col").Text("Survey"))
                                 .Child(Element("th").Attr("scope", "col").Text("Detail"))));
  Element body("tbody");
  body.Child("\n");
  for (const auto& e : newest_first) {
    body.Line(Element("tr")
                  // data-label: on a phone each row reads as a list of named fields.
                  .Child(Element("td").Attr("data-label", "#").Text(e.seq))
                  .Child(Element("td").Attr("data-label", "Time (UTC)").Text(e.time))
                  .Child(Element("td").Attr("data-label", "Action").Text(e.action))
                  .Child(Element("td").Attr("data-label", "Survey").Text(e.survey))
                  .Child(Element("td").Attr("data-label", "Detail").Text(e.detail)));
  }
  table.Line(std::move(body));
  main.Line(Element("div").Attr("class", "console-table").Child(std::move(table)));
  return ConsolePage("Audit log", true, std::move(main));
}

std::string RenderConsoleMessage(std::string_view title, std::string_view message, bool signed_in) {
  Element main = Main();
  main.Line(Element("h1").Text(title));
  main.Line(Element("p").Text(message));
  main.Line(Element("p").Child(Element("a")
                                   .Attr("href", signed_in ? "/admin" : "/admin/sign-in")
                                   .Text(signed_in ? "Back to the surveys" : "Sign in")));
  return ConsolePage(title, signed_in, std::move(main));
}

}  // namespace candour::web
