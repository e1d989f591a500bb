#include "survey/survey_form.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "survey/template.h"

namespace candour::survey {
namespace {

namespace json = boost::json;

// The template's trust question, and the force it names (its "force_name").
constexpr std::string_view kTrustQuestion = "NQ135BD";
constexpr char kTemplatePolice[] = "the Metropolitan Police";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The non-empty lines of `text`, trimmed.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = Trim(text.substr(0, nl));
    if (!line.empty()) out.emplace_back(line);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  return out;
}

// An option id from an area's name: a-z and 0-9 kept, everything else one '-', at most 32;
// "area" if nothing is left (a name in another script).
std::string Slug(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      out += static_cast<char>(c);
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
    if (out.size() == 32) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "area" : out;
}

std::string DateText(const std::optional<std::chrono::year_month_day>& d) {
  if (!d) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d->year()), unsigned(d->month()),
                unsigned(d->day()));
  return buf;
}

bool IsString(const json::value& v, std::string_view s) {
  return v.is_string() && std::string_view(v.as_string()) == s;
}

const json::object& TemplateObject() {
  static const json::object kTemplate = json::parse(TrustAndConfidenceTemplate()).as_object();
  return kTemplate;
}

const json::object* FindQuestion(const json::array& questions, std::string_view id) {
  for (const auto& q : questions)
    if (q.is_object() && q.as_object().contains("id") && IsString(q.as_object().at("id"), id))
      return &q.as_object();
  return nullptr;
}

bool IsMissing(const json::object& option) {
  const json::value* m = option.if_contains("missing");
  return m && m->is_bool() && m->as_bool();
}

// The options of the area question: those of `base` that are still listed (matched by label
// in `lang`, else by id) or missing ("Prefer not to say"), in their order, then new areas.
json::array AreaOptions(const json::object& base, const std::vector<std::string>& areas,
                        const json::array& languages, const std::string& lang, bool keep_base) {
  auto label = [&](const std::string& name) {
    json::object l;
    for (const auto& code : languages) l[code.as_string()] = name;
    return l;
  };
  json::array out;
  std::vector<bool> placed(areas.size(), false);
  std::set<std::string> ids;
  const json::array* options = base.contains("options") ? base.at("options").if_array() : nullptr;
  for (const auto& v : options ? *options : json::array()) {
    if (!v.is_object()) continue;
    json::object option = v.as_object();
    const std::string id = option.contains("id") && option.at("id").is_string()
                               ? std::string(option.at("id").as_string())
                               : "";
    if (IsMissing(option)) {
      ids.insert(id);
      out.push_back(std::move(option));
      continue;
    }
    if (!keep_base) continue;
    const json::value* labels = option.if_contains("label");
    const json::value* current =
        labels && labels->is_object() ? labels->as_object().if_contains(lang) : nullptr;
    for (size_t i = 0; i < areas.size(); ++i) {
      if (placed[i]) continue;
      if ((current && IsString(*current, areas[i])) || Slug(areas[i]) == id) {
        placed[i] = true;
        option["label"] = label(areas[i]);
        ids.insert(id);
        out.push_back(std::move(option));
        break;
      }
    }
  }
  // A new survey lists its areas before "Prefer not to say"; a new version cannot move it.
  json::array added;
  for (size_t i = 0; i < areas.size(); ++i) {
    if (placed[i]) continue;
    std::string id = Slug(areas[i]);
    for (int n = 2; ids.contains(id); ++n)
      id = Slug(areas[i]).substr(0, 29) + "-" + std::to_string(n);
    ids.insert(id);
    added.push_back(json::object{{"id", id}, {"label", label(areas[i])}});
  }
  if (keep_base) {
    for (auto& a : added) out.push_back(std::move(a));
    return out;
  }
  for (auto& o : out) added.push_back(std::move(o));
  return added;
}

std::optional<FormProblem> WriteSources(const std::string& text, json::object& def) {
  json::array sources;
  size_t line_no = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    const std::string_view line = Trim(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    if (line.empty()) continue;
    const size_t bar = line.find('|');
    if (bar == std::string_view::npos) {
      return FormProblem{"sources", "Line " + std::to_string(line_no) +
                                        ": expected a tag, \"|\" and a label, e.g. "
                                        "\"morningside-2026-11 | Morningside Community Centre, "
                                        "26 Nov\""};
    }
    sources.push_back(
        json::object{{"tag", Trim(line.substr(0, bar))}, {"label", Trim(line.substr(bar + 1))}});
  }
  if (sources.empty()) {
    def.erase("sources");
  } else {
    def["sources"] = std::move(sources);
  }
  return std::nullopt;
}

// Writes `value` to `key`, or removes `key` when `value` is empty.
void Optional(json::object& def, std::string_view key, std::string_view value) {
  const std::string_view v = Trim(value);
  if (v.empty()) {
    def.erase(key);
  } else {
    def[key] = v;
  }
}

// Names `police` in the trust question and its measure, in each language they have (the name
// as typed; in Turkish and Polish without an English "the"). The template's own force keeps
// the template's translations.
void NamePolice(std::string police, json::object& def) {
  if (police.empty() || police == kTemplatePolice) return;
  std::string bare = police;
  if (bare.starts_with("the ") || bare.starts_with("The ")) bare.erase(0, 4);
  std::string subject = police;
  if (subject[0] >= 'a' && subject[0] <= 'z') subject[0] = char(subject[0] - 'a' + 'A');
  const std::map<std::string, std::string> question = {
      {"en", subject + " is an organisation that I can trust"},
      {"tr", bare + " güvenebileceğim bir kurumdur"},
      {"pl", bare + " to instytucja, której mogę ufać"}};
  const std::map<std::string, std::string> measure = {
      {"en", "Agree " + police + " is an organisation they can trust"},
      {"tr", "\u201c" + bare + " güvenebileceğim bir kurumdur\u201d ifadesine katılanlar"},
      {"pl", "Zgadzają się, że " + bare + " to instytucja, której mogą ufać"}};
  auto rename = [](json::object& o, const char* key, const std::map<std::string, std::string>& by) {
    json::value* text = o.if_contains(key);
    if (!text || !text->is_object()) return;
    for (auto& [lang, value] : text->as_object())
      if (auto it = by.find(std::string(lang)); it != by.end()) value = it->second;
  };
  if (json::value* qs = def.if_contains("questions"); qs && qs->is_array())
    for (auto& q : qs->as_array())
      if (q.is_object() && IsString(q.as_object().at("id"), kTrustQuestion))
        rename(q.as_object(), "text", question);
  if (json::value* ms = def.if_contains("measures"); ms && ms->is_array())
    for (auto& m : ms->as_array())
      if (m.is_object() && m.as_object().contains("question") &&
          IsString(m.as_object().at("question"), kTrustQuestion))
        rename(m.as_object(), "label", measure);
}

std::optional<FormProblem> WriteQuestions(const SurveyForm& form, json::object& def, bool is_new) {
  const json::array& template_questions = TemplateObject().at("questions").as_array();
  if (!def.contains("questions") || !def.at("questions").is_array())
    def["questions"] = json::array();
  json::array& questions = def.at("questions").as_array();
  const std::vector<std::string> areas = Lines(form.areas);
  const std::string lang(def.at("languages").as_array().front().as_string());
  // A new version keeps the area options the survey has; a new survey replaces the template's.
  const bool from_template = is_new || !FindQuestion(questions, kAreaQuestion);
  json::array kept;
  for (auto& q : questions) {
    const json::object* o = q.if_object();
    const json::value* id = o ? o->if_contains("id") : nullptr;
    const std::string qid = id && id->is_string() ? std::string(id->as_string()) : "";
    const bool offered = FindQuestion(template_questions, qid) &&
                         FindQuestion(template_questions, qid)->contains("dimension");
    // A dimension the form offers and that is not ticked is left out; on a new version the
    // Organiser refuses that, saying the question stays.
    if (offered && !form.dimensions.contains(qid)) continue;
    kept.push_back(std::move(q));
  }
  for (const auto& [qid, name] : FormDimensions()) {
    if (!form.dimensions.contains(qid)) continue;
    if (!FindQuestion(kept, qid)) kept.push_back(*FindQuestion(template_questions, qid));
  }
  for (auto& q : kept) {
    json::object& o = q.as_object();
    if (!IsString(o.at("id"), kAreaQuestion)) continue;
    if (areas.empty()) {
      return FormProblem{"areas",
                         "List the areas residents choose from, one per line (or do not ask "
                         "for the ward)."};
    }
    o["options"] = AreaOptions(o, areas, def.at("languages").as_array(), lang, !from_template);
  }
  questions = std::move(kept);
  if (is_new) NamePolice(form.police, def);
  return std::nullopt;
}

}  // namespace

SurveyForm ReadSurveyForm(const FormPairs& pairs) {
  SurveyForm f;
  f.period.clear();
  f.threshold.clear();
  for (const auto& [key, raw] : pairs) {
    // Browsers send a textarea's lines as CRLF; the form shows them again as typed.
    std::string value = raw;
    std::erase(value, '\r');
    if (key == "id") f.id = Trim(value);
    if (key == "organisation") f.organisation = value;
    if (key == "police") f.police = Trim(value);
    if (key == "contact") f.contact = value;
    if (key == "areas") f.areas = value;
    if (key == "dimension") f.dimensions.insert(value);
    if (key == "period") f.period = value;
    if (key == "threshold") f.threshold = Trim(value);
    if (key == "requires_code") f.requires_code = true;
    if (key == "public_results") f.public_results = true;
    if (key == "opens") f.opens = Trim(value);
    if (key == "closes") f.closes = Trim(value);
    if (key == "sources") f.sources = value;
    for (std::string_view lang : kFormLanguages) {
      if (key == "title_" + std::string(lang)) f.title[std::string(lang)] = value;
      if (key == "intro_" + std::string(lang)) f.intro[std::string(lang)] = value;
    }
  }
  return f;
}

SurveyForm NewSurveyForm() {
  SurveyForm f;
  f.police = kTemplatePolice;
  for (const auto& [id, name] : FormDimensions()) f.dimensions.insert(id);
  return f;
}

SurveyForm FormOf(const Survey& survey) {
  SurveyForm f;
  f.id = survey.id;
  for (std::string_view lang : kFormLanguages) {
    const std::string l(lang);
    if (std::find(survey.languages.begin(), survey.languages.end(), l) == survey.languages.end())
      continue;
    f.title[l] = survey.title.In(l, "");
    f.intro[l] = survey.intro.In(l, "");
  }
  f.organisation = survey.organisation;
  f.contact = survey.contact;
  for (const auto& [id, name] : FormDimensions())
    if (const Question* q = survey.FindQuestion(id)) f.dimensions.insert(q->id);
  if (const Question* ward = survey.FindQuestion(kAreaQuestion)) {
    for (const auto& o : ward->options) {
      if (o.missing) continue;
      f.areas += o.label.In(survey.default_language(), "") + "\n";
    }
  }
  f.period = survey.period == stats::PeriodKind::kMonth ? "month" : "week";
  f.threshold = std::to_string(survey.threshold);
  f.requires_code = survey.requires_code;
  f.public_results = survey.public_results;
  f.opens = DateText(survey.opens);
  f.closes = DateText(survey.closes);
  for (const auto& s : survey.sources) f.sources += s.tag + " | " + s.label + "\n";
  return f;
}

std::vector<std::pair<std::string, std::string>> FormDimensions() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& q : TemplateObject().at("questions").as_array()) {
    const json::object& o = q.as_object();
    if (!o.contains("dimension")) continue;
    out.emplace_back(o.at("id").as_string(), o.at("short").as_object().at("en").as_string());
  }
  return out;
}

boost::system::result<std::string, FormProblem> DefinitionOf(const SurveyForm& form,
                                                             std::string_view base_json,
                                                             bool is_new) {
  boost::system::error_code ec;
  json::value base = json::parse(base_json, ec);
  if (ec || !base.is_object()) return FormProblem{"", "the survey's definition does not parse"};
  json::object& def = base.as_object();
  json::array languages;
  json::object title, intro;
  for (std::string_view lang : kFormLanguages) {
    const std::string l(lang);
    const std::string_view t = form.title.contains(l) ? Trim(form.title.at(l)) : "";
    const std::string_view i = form.intro.contains(l) ? Trim(form.intro.at(l)) : "";
    if (t.empty()) {
      if (!i.empty()) {
        return FormProblem{"title_" + l,
                           "Give the title in this language too, or clear its introduction: a "
                           "language is offered when it has a title."};
      }
      continue;
    }
    languages.emplace_back(l);
    title[l] = t;
    if (!i.empty()) intro[l] = i;
  }
  if (languages.empty()) {
    return FormProblem{"title_en", "Give the survey a title in at least one language."};
  }
  def["languages"] = std::move(languages);
  def["title"] = std::move(title);
  def["intro"] = std::move(intro);
  if (is_new) {
    def["id"] = form.id;
    def["open"] = false;  // opened from the console's list, once previewed
    def.erase("demo");
    // The template's population margins are an example for Hackney that the form neither shows
    // nor lets the organiser replace: a survey made here is unweighted until its definition
    // is given margins of its own area (candour survey template / create).
    def.erase("population");
    def.erase("population_source");
  }
  Optional(def, "force_name", form.organisation);
  Optional(def, "contact", form.contact);
  Optional(def, "opens", form.opens);
  Optional(def, "closes", form.closes);
  def["period"] = form.period;
  def["requires_code"] = form.requires_code;
  def["public_results"] = form.public_results;
  // A threshold that is no integer goes through as typed, for the definition to refuse.
  char* end = nullptr;
  const long long threshold = std::strtoll(form.threshold.c_str(), &end, 10);
  json::object suppression;
  if (!form.threshold.empty() && *end == '\0') {
    suppression["threshold"] = threshold;
    int64_t min_base = 30;
    if (const json::value* s = def.if_contains("suppression"); s && s->is_object())
      if (const json::value* b = s->as_object().if_contains("min_base"); b && b->is_int64())
        min_base = b->as_int64();
    suppression["min_base"] = std::max<int64_t>(min_base, threshold);
  } else {
    suppression["threshold"] = form.threshold;
  }
  def["suppression"] = std::move(suppression);
  if (auto p = WriteSources(form.sources, def)) return *p;
  if (auto p = WriteQuestions(form, def, is_new)) return *p;
  return boost::system::result<std::string, FormProblem>(boost::system::in_place_value,
                                                         json::serialize(def));
}

FormProblem ProblemOf(std::string_view error, std::string_view definition_json) {
  std::string_view e = error;
  // IncompatibleWithEarlier's prefix: "version 2: ".
  if (e.starts_with("version ")) {
    const size_t colon = e.find(": ");
    if (colon != std::string_view::npos) e.remove_prefix(colon + 2);
  }
  const size_t colon = e.find(": ");
  const std::string_view path = e.substr(0, colon);
  std::string rest(colon == std::string_view::npos ? e : e.substr(colon + 2));
  if (!rest.empty() && rest[0] >= 'a' && rest[0] <= 'z') rest[0] = char(rest[0] - 'a' + 'A');
  // The definition's words are for a JSON file's author; the form's reader types a number.
  if (const size_t at = rest.find("an integer"); at != std::string::npos)
    rest.replace(at, std::string_view("an integer").size(), "a whole number");
  auto field_of_question = [&](std::string_view qid) -> std::string {
    if (qid == kAreaQuestion) return "areas";
    for (const auto& [id, name] : FormDimensions())
      if (id == qid) return "dimension";
    return "";
  };
  auto starts = [&](std::string_view key) {
    return path == key || path.starts_with(std::string(key) + ".") ||
           path.starts_with(std::string(key) + "[");
  };
  if (starts("title") || starts("intro")) {
    const std::string key(path.substr(0, 5));
    std::string lang = path.size() > 6 ? std::string(path.substr(6)) : "en";
    return {key + "_" + lang, rest};
  }
  if (starts("sources")) {
    const size_t open = path.find('['), close = path.find(']');
    if (open != std::string_view::npos && close != std::string_view::npos) {
      const int index = std::atoi(std::string(path.substr(open + 1, close - open - 1)).c_str());
      return {"sources", "Source " + std::to_string(index + 1) + ": " + rest};
    }
    return {"sources", rest};
  }
  if (starts("questions")) {
    // 'questions: "ward" is missing: ...' (a new version) or 'questions[12].options...'.
    if (path == "questions" && rest.starts_with("\"")) {
      const size_t end = rest.find('"', 1);
      const std::string qid = rest.substr(1, end == std::string::npos ? 0 : end - 1);
      return {field_of_question(qid), "The question \"" + qid + "\"" +
                                          (end == std::string::npos ? "" : rest.substr(end + 1))};
    }
    const size_t open = path.find('['), close = path.find(']');
    boost::system::error_code ec;
    const json::value def = json::parse(definition_json, ec);
    if (!ec && open != std::string_view::npos && close != std::string_view::npos &&
        def.is_object() && def.as_object().contains("questions")) {
      const size_t index = std::strtoul(std::string(path.substr(open + 1)).c_str(), nullptr, 10);
      const json::array& qs = def.as_object().at("questions").as_array();
      if (index < qs.size() && qs[index].is_object() && qs[index].as_object().contains("id")) {
        const json::value& id = qs[index].as_object().at("id");
        if (id.is_string()) return {field_of_question(id.as_string()), std::string(error)};
      }
    }
    return {"", std::string(error)};
  }
  static const std::pair<std::string_view, std::string_view> kFields[] = {
      {"id", "id"},
      {"languages", "title_en"},
      {"force_name", "organisation"},
      {"contact", "contact"},
      {"opens", "opens"},
      {"closes", "closes"},
      {"period", "period"},
      {"suppression", "threshold"},
      {"requires_code", "requires_code"},
      {"public_results", "public_results"},
  };
  for (const auto& [key, field] : kFields)
    if (starts(key)) return {std::string(field), rest};
  return {"", std::string(error)};
}

}  // namespace candour::survey
