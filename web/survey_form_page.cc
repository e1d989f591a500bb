#include "web/survey_form_page.h"

#include "web/console_pages.h"
#include "web/html.h"

namespace candour::web {
namespace {

using html::Element;
using html::Fragment;
using survey::FormProblem;
using survey::SurveyForm;

constexpr std::pair<std::string_view, std::string_view> kLanguageNames[] = {
    {"en", "English"}, {"tr", "Turkish (Türkçe)"}, {"pl", "Polish (Polski)"}};

Element Main() { return Element("main").Attr("class", "console").Attr("id", "main"); }

// Builds one field after another, each with its label, hint and (if it is the one the problem
// concerns) the problem beside it.
class FormBuilder {
 public:
  explicit FormBuilder(const FormProblem& problem) : problem_(problem) {}

  // `control`'s id and name are `name`; a hint (may be empty) is read with it.
  Element Field(const std::string& name, std::string_view label, std::string_view hint,
                Element control) {
    Element div("div");
    div.Attr("class", "console-field").Child("\n");
    div.Line(Element("label").Attr("for", name).Attr("class", "block").Text(label));
    Described(div, name, hint, control);
    div.Line(std::move(control));
    return div;
  }

  // A checkbox with its label beside it.
  Element Checkbox(const std::string& name, const std::string& id, std::string_view value,
                   std::string_view label, bool checked, bool with_problem) {
    Element input("input");
    input.Attr("type", "checkbox").Attr("id", id).Attr("name", name).Attr("value", value);
    if (checked) input.Attr("checked");
    Element div("div");
    div.Attr("class", "option").Child("\n");
    if (with_problem) Described(div, name, "", input);
    div.Line(std::move(input)).Line(Element("label").Attr("for", id).Text(label));
    return div;
  }

  // The hint and the problem (when it concerns `name`) into `into`, and `control` described by
  // them.
  void Described(Element& into, const std::string& name, std::string_view hint, Element& control) {
    std::string described;
    if (!hint.empty()) {
      into.Line(Element("p").Attr("class", "hint").Attr("id", name + "-hint").Text(hint));
      described = name + "-hint";
    }
    if (!problem_.message.empty() && problem_.field == name) {
      into.Line(Element("p")
                    .Attr("class", "console-problem")
                    .Attr("id", name + "-problem")
                    .Text(problem_.message));
      described += (described.empty() ? "" : " ") + name + "-problem";
      control.Attr("aria-invalid", "true");
    }
    if (!described.empty()) control.Attr("aria-describedby", described);
  }

 private:
  const FormProblem& problem_;
};

Element TextInput(const std::string& name, std::string_view value, std::string_view type = "text") {
  return Element("input")
      .Attr("type", type)
      .Attr("id", name)
      .Attr("name", name)
      .Attr("value", value);
}

Element TextArea(const std::string& name, std::string_view value, int rows) {
  return Element("textarea")
      .Attr("id", name)
      .Attr("name", name)
      .Attr("rows", std::to_string(rows))
      .Text(value);
}

// What the summary above the form calls `field` (a FormProblem's), so that it says which one
// is wrong before the reader follows the link; empty for none.
std::string FieldName(std::string_view field) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"id", "Survey id"},
      {"organisation", "Force or organisation"},
      {"contact", "Contact line"},
      {"areas", "Areas"},
      {"dimension", "Questions about the resident"},
      {"period", "Figures are published by"},
      {"threshold", "Threshold"},
      {"opens", "Opening date"},
      {"closes", "Closing date"},
      {"requires_code", "Single-use code"},
      {"public_results", "Public results"},
      {"sources", "Sources"},
  };
  for (const auto& [name, text] : kNames)
    if (field == name) return std::string(text);
  // title_LANG, intro_LANG.
  for (const auto& [code, language] : kLanguageNames) {
    if (field == "title_" + std::string(code)) return "Title in " + std::string(language);
    if (field == "intro_" + std::string(code)) return "Introduction in " + std::string(language);
  }
  return "";
}

// The problem named above the form, linking to its field.
Element Summary(const FormProblem& problem) {
  Element p("p");
  p.Text("Nothing was saved: ");
  if (problem.field.empty()) {
    p.Text(problem.message);
  } else {
    const std::string name = FieldName(problem.field);
    // The dimensions are checkboxes with ids of their own: the link goes to the first.
    const std::string target = problem.field == "dimension"
                                   ? "dimension-" + survey::FormDimensions().front().first
                                   : problem.field;
    p.Child(Element("a")
                .Attr("href", "#" + target)
                .Text(name.empty() ? problem.message : name + ": " + problem.message));
  }
  return Element("div")
      .Attr("class", "console-problem")
      .Attr("role", "alert")
      .Child(Element("h2").Text("There is a problem"))
      .Child(std::move(p));
}

Element Languages(const SurveyForm& form, FormBuilder& b) {
  Element set("fieldset");
  set.Child("\n").Line(Element("legend").Text("Title and introduction in each language"));
  set.Line(Element("p")
               .Attr("class", "hint")
               .Text("Fill in each language residents may answer in (at least one). A language "
                     "with a title "
                     "is offered; its questions come from the template in that language."));
  auto value = [](const std::map<std::string, std::string>& m, const std::string& lang) {
    const auto it = m.find(lang);
    return it == m.end() ? std::string() : it->second;
  };
  for (const auto& [code, name] : kLanguageNames) {
    const std::string lang(code);
    Element group("div");
    group.Attr("class", "console-language").Child("\n");
    group.Line(Element("h3").Text(name));
    group.Line(b.Field("title_" + lang, "Title", "",
                       TextInput("title_" + lang, value(form.title, lang)).Attr("lang", lang)));
    group.Line(b.Field("intro_" + lang, "Introduction", "",
                       TextArea("intro_" + lang, value(form.intro, lang), 3).Attr("lang", lang)));
    set.Line(std::move(group));
  }
  return set;
}

Element Dimensions(const SurveyForm& form, FormBuilder& b, bool edit) {
  Element set("fieldset");
  set.Child("\n").Line(Element("legend").Text("Questions about the resident to ask"));
  set.Line(
      Element("p")
          .Attr("class", "hint")
          .Text(
              edit
                  ? "Figures can be broken down by these. A question already asked cannot be taken "
                    "out (earlier answers keep their meaning); one can be added."
                  : "Figures can be broken down by these. Each is optional for residents."));
  bool first = true;
  for (const auto& [id, name] : survey::FormDimensions()) {
    set.Line(
        b.Checkbox("dimension", "dimension-" + id, id, name, form.dimensions.contains(id), first));
    first = false;
  }
  return set;
}

Element Period(const SurveyForm& form, FormBuilder& b) {
  Element select("select");
  select.Attr("id", "period").Attr("name", "period");
  for (const auto& [value, label] :
       {std::pair{"week", "Week (ISO weeks)"}, std::pair{"month", "Month"}}) {
    Element option("option");
    option.Attr("value", value);
    if (form.period == value) option.Attr("selected");
    select.Child(std::move(option).Text(label));
  }
  return b.Field("period", "Figures are published by", "", std::move(select));
}

}  // namespace

std::string RenderConsoleSurveyForm(const SurveyForm& form, const FormProblem& problem,
                                    int64_t version) {
  const bool edit = version > 0;
  FormBuilder b(problem);
  // The survey by its title (English first), as the list names it; its id if untitled.
  std::string name = form.id;
  for (const auto& [lang, text] : form.title)
    if (!text.empty() && (name == form.id || lang == "en")) name = text;
  const std::string title = edit ? "Edit \u201c" + name + "\u201d" : "New survey";
  Element main = Main();
  main.Line(Element("h1").Text(title));
  main.Line(Element("p").Text(
      edit ? "Saving makes version " + std::to_string(version + 1) +
                 " of this survey (it is now at version " + std::to_string(version) +
                 "). Answers already given keep their meaning: questions and areas cannot be "
                 "taken out, new areas go at the end."
           : "A survey made from the built-in trust-and-confidence template: its questions, "
             "with your areas, languages and settings. It starts closed: preview it, then "
             "open it from the list."));
  if (!problem.message.empty()) main.Line(Summary(problem));
  Element f("form");
  f.Attr("method", "post")
      .Attr("action", edit ? "/admin/surveys/" + form.id + "/edit" : "/admin/new")
      .Attr("class", "console-form")
      .Attr("accept-charset", "utf-8")
      .Attr("novalidate")
      .Child("\n");
  if (!edit) {
    f.Line(b.Field(
        "id", "Survey id",
        "Used in its address (/s/ID): 1 to 64 of a-z, 0-9 and -, e.g. "
        "hackney-trust-2027.",
        TextInput("id", form.id).Attr("autocapitalize", "none").Attr("spellcheck", "false")));
  }
  f.Line(Languages(form, b));
  f.Line(b.Field("organisation", "Force or organisation running it",
                 "Named on posters, e.g. \"Hackney Council\".",
                 TextInput("organisation", form.organisation)));
  if (!edit) {
    f.Line(b.Field("police", "Police force the questions ask about",
                   "Named in \"... is an organisation that I can trust\", e.g. \"Thames Valley "
                   "Police\".",
                   TextInput("police", form.police)));
  }
  f.Line(b.Field("contact", "Contact line (optional)",
                 "On posters, e.g. \"Questions: engagement@hackney.gov.uk\".",
                 TextInput("contact", form.contact)));
  f.Line(b.Field("areas", "Areas residents choose from",
                 "One per line, e.g. your wards. Residents can also say they prefer not to say.",
                 TextArea("areas", form.areas, 6)));
  f.Line(Dimensions(form, b, edit));
  f.Line(Period(form, b));
  f.Line(b.Field("threshold", "Threshold", "Counts below it are never shown (at least 10).",
                 TextInput("threshold", form.threshold, "number")
                     .Attr("min", "10")
                     .Attr("inputmode", "numeric")));
  f.Line(b.Field("opens", "Opening date (optional)",
                 "When you plan to open it; you open it from the list.",
                 TextInput("opens", form.opens, "date")));
  f.Line(b.Field("closes", "Closing date (optional)", "Shown on posters; you close it yourself.",
                 TextInput("closes", form.closes, "date")));
  Element choices("fieldset");
  choices.Child("\n").Line(Element("legend").Text("Access and results"));
  choices.Line(b.Checkbox("requires_code", "requires_code", "yes",
                          "Each response needs a single-use code", form.requires_code, true));
  choices.Line(b.Checkbox("public_results", "public_results", "yes",
                          "Results are public (protected figures at its dashboard)",
                          form.public_results, true));
  f.Line(std::move(choices));
  f.Line(b.Field("sources", "Sources: events and posters (optional)",
                 "One per line: a tag for the link, \"|\", and a label, e.g. "
                 "\"morningside-2026-11 | Morningside Community Centre, 26 Nov\".",
                 TextArea("sources", form.sources, 4)
                     .Attr("autocapitalize", "none")
                     .Attr("spellcheck", "false")));
  f.Line(Element("div")
             .Attr("class", "console-actions")
             .Child(Element("button")
                        .Attr("type", "submit")
                        .Text(edit ? "Save as version " + std::to_string(version + 1)
                                   : "Create survey"))
             .Child(Element("a").Attr("href", "/admin").Text("Cancel")));
  main.Line(std::move(f));
  return ConsolePage(title, true, std::move(main));
}

std::string RenderConsoleTokenConfirm() {
  Element main = Main();
  main.Line(Element("h1").Text("Rotate the admin token?"));
  main.Line(Element("p").Text(
      "A new admin token replaces the current one at once: the current one stops working for "
      "the console, the admin API and scripts that use it. Every other console session is "
      "signed out; you stay signed in."));
  main.Line(Element("p").Text(
      "The new token is shown once, on the next page. Keep it somewhere safe: the service "
      "keeps only its hash. The rotation is recorded in the audit log."));
  main.Line(
      Element("div")
          .Attr("class", "console-actions")
          .Child(Element("form")
                     .Attr("method", "post")
                     .Attr("action", "/admin/token")
                     .Attr("class", "console-inline")
                     .Child(Element("button").Attr("type", "submit").Text("Rotate the token")))
          .Child(Element("a").Attr("href", "/admin").Text("Cancel")));
  return ConsolePage("Rotate the admin token?", true, std::move(main));
}

std::string RenderConsoleNewToken(std::string_view token, std::string_view written) {
  Element main = Main();
  main.Line(Element("h1").Text("The new admin token"));
  main.Line(Element("p")
                .Attr("class", "console-warning")
                .Attr("role", "status")
                .Text("This is shown once. Copy it now: the old token no longer works, and "
                      "the service cannot show this one again."));
  main.Line(Element("p").Attr("class", "console-token").Child(Element("code").Text(token)));
  if (!written.empty()) main.Line(Element("p").Text(written));
  main.Line(Element("p").Text(
      "Every other console session has been signed out. The rotation is in the audit log."));
  main.Line(Element("p").Child(Element("a").Attr("href", "/admin").Text("Back to the surveys")));
  return ConsolePage("The new admin token", true, std::move(main));
}

}  // namespace candour::web
