// The organiser console's survey form, preview and token rotation over real HTTP: a survey
// from the built-in template through the form, refusals beside the field they concern with the
// input kept, a new version through the edit form under the API's compatibility rules, the
// preview in each language, and a rotated token that ends the old one and other sessions.
#include "survey/survey_form.h"
#include "tests/console_fixture.h"

namespace candour::testing::admin {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Encode(const Fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += UrlEncode(k) + "=" + UrlEncode(v);
  }
  return out;
}

// An organiser's survey: five wards of their own, English and Turkish, two events.
Fields NewSurvey() {
  return {{"id", "morningside"},
          {"title_en", "Trust in policing in Morningside"},
          {"intro_en", "Tell us how you see the police here."},
          {"title_tr", "Morningside'da polise güven"},
          {"intro_tr", "Bölgenizdeki polisi nasıl gördüğünüzü anlatın."},
          {"title_pl", ""},
          {"intro_pl", ""},
          {"organisation", "Lothian Community Police"},
          {"contact", "Questions: engage@lothian.example"},
          {"areas", "Morningside\r\nBruntsfield\r\nChurchhill\r\nGreenbank\r\nFairmilehead\r\n"},
          {"dimension", "ward"},
          {"dimension", "age"},
          {"period", "month"},
          {"threshold", "10"},
          {"opens", "2026-01-20"},
          {"closes", "2026-03-31"},
          {"public_results", "yes"},
          {"sources", "hall-2026-01 | Church hall, 24 Jan\r\nlibrary | Library poster\r\n"}};
}

Fields With(Fields fields, const std::string& key, const std::string& value) {
  bool found = false;
  for (auto& [k, v] : fields)
    if (k == key) v = value, found = true;
  if (!found) fields.emplace_back(key, value);
  return fields;
}

Fields Without(Fields fields, const std::string& key, const std::string& value) {
  std::erase_if(fields, [&](const auto& kv) { return kv.first == key && kv.second == value; });
  return fields;
}

// The text of the element with id="ID" (its first text, up to the next tag).
std::string TextOf(const std::string& html, const std::string& id) {
  const size_t at = html.find("id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  const size_t start = html.find('>', at) + 1;
  return html.substr(start, html.find('<', start) - start);
}

class ConsoleFormTest : public ConsoleTest {
 protected:
  json::object Stored(const std::string& id) {
    const HttpReply r = Admin("GET", "/api/admin/surveys/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    const json::value v = json::parse(r.body);
    return v.is_object() && v.as_object().contains("definition") ? v.at("definition").as_object()
                                                                 : v.as_object();
  }
  std::vector<std::string> OptionIds(const json::object& def, const std::string& question) {
    std::vector<std::string> out;
    for (const auto& q : def.at("questions").as_array())
      if (q.at("id") == question.c_str())
        for (const auto& o : q.at("options").as_array()) out.emplace_back(o.at("id").as_string());
    return out;
  }
};

TEST_F(ConsoleFormTest, ANewSurveyFromTheTemplateThroughTheForm) {
  const std::string cookie = SignIn();
  const HttpReply form = Get("/admin/new", cookie);
  ASSERT_EQ(form.status, 200);
  for (const char* name :
       {"id", "title_en", "title_tr", "title_pl", "organisation", "threshold", "opens", "closes"})
    EXPECT_TRUE(HasInput(form.body, name)) << name;
  EXPECT_TRUE(HasInput(form.body, "dimension", "checkbox", "sexual_orientation"));
  EXPECT_NE(form.body.find("<textarea id=\"areas\""), std::string::npos);
  EXPECT_NE(form.body.find("<textarea id=\"sources\""), std::string::npos);

  const size_t audit_before = Audit().size();
  const HttpReply r = Post("/admin/new", Encode(NewSurvey()), cookie, Origin());
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("location"), "/admin?saved=morningside");
  const json::object def = Stored("morningside");
  EXPECT_EQ(def.at("version").as_int64(), 1);
  EXPECT_EQ(json::serialize(def.at("languages")), R"(["en","tr"])");
  EXPECT_EQ(def.at("title").at("tr").as_string(), "Morningside'da polise güven");
  EXPECT_EQ(def.at("open").as_bool(), false);  // opened once previewed
  EXPECT_EQ(def.at("public_results").as_bool(), true);
  EXPECT_EQ(def.at("requires_code").as_bool(), false);
  EXPECT_EQ(def.at("period").as_string(), "month");
  EXPECT_EQ(def.at("force_name").as_string(), "Lothian Community Police");
  EXPECT_EQ(def.at("opens").as_string(), "2026-01-20");
  EXPECT_EQ(def.at("closes").as_string(), "2026-03-31");
  EXPECT_EQ(def.at("suppression").at("threshold").as_int64(), 10);
  EXPECT_EQ(OptionIds(def, "ward"),
            (std::vector<std::string>{"morningside", "bruntsfield", "churchhill", "greenbank",
                                      "fairmilehead", "prefer_not"}));
  EXPECT_FALSE(OptionIds(def, "age").empty());
  EXPECT_TRUE(OptionIds(def, "gender").empty());  // not ticked: not asked
  EXPECT_EQ(def.at("sources").as_array().size(), 2u);
  EXPECT_EQ(def.at("sources").at(0).at("label").as_string(), "Church hall, 24 Jan");
  EXPECT_FALSE(def.contains("demo"));
  // The template's example margins are Hackney's: a survey of other areas is not weighted to
  // them (the form does not show them), and says nothing of their source.
  EXPECT_FALSE(def.contains("population"));
  EXPECT_FALSE(def.contains("population_source"));

  const auto audit = Audit();
  ASSERT_EQ(audit.size(), audit_before + 2);  // intent and outcome, as through the API
  EXPECT_EQ(Str(audit.back(), "action"), "survey.create");
  EXPECT_EQ(Str(audit.back(), "survey"), "morningside");
  const HttpReply list = Get(r.Header("location"), cookie);
  EXPECT_NE(list.body.find("Survey morningside: version 1 saved."), std::string::npos);
  EXPECT_NE(list.body.find("/admin/surveys/morningside/preview"), std::string::npos);
  EXPECT_NE(list.body.find("/admin/surveys/morningside/edit"), std::string::npos);
}

// The trust question names the survey's own force, in each language it offers; the form
// starts with the template's (the Metropolitan Police), which keeps its translations.
TEST_F(ConsoleFormTest, TheTrustQuestionNamesTheForceTheOrganiserGives) {
  const std::string cookie = SignIn();
  EXPECT_TRUE(
      HasInput(Get("/admin/new", cookie).body, "police", "text", "the Metropolitan Police"));
  ASSERT_EQ(
      Post("/admin/new", Encode(With(NewSurvey(), "police", "Police Scotland")), cookie, Origin())
          .status,
      303);
  const json::object def = Stored("morningside");
  const std::string all = json::serialize(def);
  EXPECT_EQ(all.find("Metropolitan"), std::string::npos) << all;
  json::object question, measure;
  for (const auto& q : def.at("questions").as_array())
    if (q.at("id") == "NQ135BD") question = q.at("text").as_object();
  for (const auto& m : def.at("measures").as_array())
    if (m.at("question") == "NQ135BD") measure = m.at("label").as_object();
  EXPECT_EQ(question.at("en").as_string(), "Police Scotland is an organisation that I can trust");
  EXPECT_EQ(question.at("tr").as_string(), "Police Scotland güvenebileceğim bir kurumdur");
  EXPECT_EQ(measure.at("en").as_string(),
            "Agree Police Scotland is an organisation they can trust");

  const std::string met =
      Encode(With(With(NewSurvey(), "id", "met"), "police", "the Metropolitan Police"));
  ASSERT_EQ(Post("/admin/new", met, cookie, Origin()).status, 303);
  const json::object met_def = Stored("met");
  for (const auto& q : met_def.at("questions").as_array())
    if (q.at("id") == "NQ135BD") {
      EXPECT_EQ(q.at("text").at("en").as_string(),
                "The Metropolitan Police is an organisation that I can trust");
      EXPECT_EQ(q.at("text").at("tr").as_string(),
                "Metropolitan Polisi güvenebileceğim bir kurumdur");
    }
}

TEST_F(ConsoleFormTest, AThresholdUnderTenIsRefusedBesideItsFieldWithTheInputKept) {
  const std::string cookie = SignIn();
  const size_t audit_before = Audit().size();
  const HttpReply r =
      Post("/admin/new", Encode(With(NewSurvey(), "threshold", "5")), cookie, Origin());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(TextOf(r.body, "threshold-problem"), "Expected a whole number from 10 to 1000")
      << r.body;
  EXPECT_NE(r.body.find("aria-describedby=\"threshold-hint threshold-problem\""),
            std::string::npos);
  EXPECT_TRUE(HasInput(r.body, "threshold", "number", "5"));  // kept as typed
  EXPECT_TRUE(HasInput(r.body, "title_tr", "text", "Morningside&#39;da polise güven") ||
              HasInput(r.body, "title_tr", "text", "Morningside&#x27;da polise güven"))
      << r.body;
  EXPECT_NE(r.body.find("Bruntsfield\nChurchhill"), std::string::npos);  // the areas kept
  // Named on top too, saying which field before the link is followed.
  EXPECT_NE(r.body.find("href=\"#threshold\">Threshold: Expected a whole number from 10 to 1000<"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(Admin("GET", "/api/admin/surveys/morningside").status, 404);
  EXPECT_EQ(Audit().size(), audit_before);  // a refusal is no action
}

TEST_F(ConsoleFormTest, EachRefusalIsShownBesideTheFieldItConcerns) {
  const std::string cookie = SignIn();
  const struct {
    Fields fields;
    std::string field, says;
  } cases[] = {
      {With(NewSurvey(), "id", "Bad Id!"), "id", "Expected 1-64 of a-z"},
      {With(NewSurvey(), "id", "demo"), "id", "There is a survey &quot;demo&quot; already"},
      {With(With(NewSurvey(), "title_en", ""), "title_tr", ""), "title_en",
       "Give the title in this language too"},
      {With(With(With(With(NewSurvey(), "title_en", ""), "title_tr", ""), "intro_en", ""),
            "intro_tr", ""),
       "title_en", "at least one language"},
      {With(NewSurvey(), "closes", "31/03/2026"), "closes", "Expected a date YYYY-MM-DD"},
      {With(NewSurvey(), "closes", "2026-01-01"), "closes", "on or after"},
      {With(NewSurvey(), "period", "fortnight"), "period", "Expected &quot;week&quot;"},
      {With(NewSurvey(), "sources", "hall | Hall\nno bar here"), "sources", "Line 2:"},
      {With(NewSurvey(), "sources", "Hall! | Hall"), "sources", "Source 1: "},
      {With(NewSurvey(), "areas", "\n"), "areas", "List the areas"},
      {With(NewSurvey(), "organisation", std::string(200, 'x')), "organisation", "at most 120"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field + ": " + c.says);
    const HttpReply r = Post("/admin/new", Encode(c.fields), cookie, Origin());
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(TextOf(r.body, c.field + "-problem").find(c.says), std::string::npos) << r.body;
  }
  EXPECT_EQ(Admin("GET", "/api/admin/surveys/morningside").status, 404);
}

TEST_F(ConsoleFormTest, EditMakesVersionTwoAndAnIncompatibleEditIsRefusedBesideTheField) {
  const std::string cookie = SignIn();
  ASSERT_EQ(Post("/admin/new", Encode(NewSurvey()), cookie, Origin()).status, 303);
  const HttpReply form = Get("/admin/surveys/morningside/edit", cookie);
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(HasInput(form.body, "title_en", "text", "Trust in policing in Morningside"));
  EXPECT_TRUE(HasInput(form.body, "dimension", "checkbox", "age"));
  EXPECT_NE(form.body.find("Morningside\nBruntsfield\nChurchhill\nGreenbank\nFairmilehead\n"),
            std::string::npos)
      << form.body;
  EXPECT_NE(form.body.find("hall-2026-01 | Church hall, 24 Jan\nlibrary | Library poster"),
            std::string::npos);
  EXPECT_NE(form.body.find("Save as version 2"), std::string::npos);
  EXPECT_EQ(Get("/admin/surveys/nothing/edit", cookie).status, 404);

  // A ward taken out: answers naming it would lose their meaning.
  Fields removed = With(NewSurvey(), "areas", "Morningside\nBruntsfield\nChurchhill\nGreenbank");
  HttpReply r = Post("/admin/surveys/morningside/edit", Encode(removed), cookie, Origin());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(TextOf(r.body, "areas-problem").find("changes its options"), std::string::npos)
      << r.body;
  // A question already asked taken out.
  r = Post("/admin/surveys/morningside/edit", Encode(Without(NewSurvey(), "dimension", "age")),
           cookie, Origin());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(TextOf(r.body, "dimension-problem").find("&quot;age&quot; is missing"),
            std::string::npos)
      << r.body;
  // The summary's link goes to the first checkbox (there is no element "dimension").
  EXPECT_NE(r.body.find("href=\"#dimension-" + survey::FormDimensions().front().first + "\">"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("id=\"dimension-" + survey::FormDimensions().front().first + "\""),
            std::string::npos);
  EXPECT_EQ(Stored("morningside").at("version").as_int64(), 1);

  // A new ward, a new question, a new title and a third source: version 2.
  Fields next = With(NewSurvey(), "areas",
                     "Morningside\nBruntsfield\nChurchhill\nGreenbank\nFairmilehead\nComiston");
  next = With(next, "title_en", "Trust in policing in Morningside and Comiston");
  next = With(next, "sources",
              "hall-2026-01 | Church hall, 24 Jan\nlibrary | Library poster\nfair | Summer fair");
  next.emplace_back("dimension", "gender");
  r = Post("/admin/surveys/morningside/edit", Encode(next), cookie, Origin());
  ASSERT_EQ(r.status, 303) << r.body;
  const json::object def = Stored("morningside");
  EXPECT_EQ(def.at("version").as_int64(), 2);
  EXPECT_EQ(def.at("id").as_string(), "morningside");
  EXPECT_EQ(def.at("open").as_bool(), false);  // the state is not the form's
  EXPECT_EQ(def.at("title").at("en").as_string(), "Trust in policing in Morningside and Comiston");
  EXPECT_EQ(OptionIds(def, "ward"),
            (std::vector<std::string>{"morningside", "bruntsfield", "churchhill", "greenbank",
                                      "fairmilehead", "prefer_not", "comiston"}));
  EXPECT_FALSE(OptionIds(def, "gender").empty());
  EXPECT_EQ(def.at("sources").as_array().size(), 3u);
  EXPECT_EQ(Str(Audit().back(), "action"), "survey.version");
  EXPECT_NE(Get("/admin?saved=morningside", cookie).body.find("version 2 saved"),
            std::string::npos);
}

TEST_F(ConsoleFormTest, ThePreviewIsTheResidentsFormInEachLanguageAndSendsNothing) {
  const std::string cookie = SignIn();
  ASSERT_EQ(Post("/admin/new", Encode(NewSurvey()), cookie, Origin()).status, 303);
  EXPECT_EQ(client_.Get("/admin/surveys/morningside/preview?lang=tr").status, 303);  // signed out
  const HttpReply tr = Get("/admin/surveys/morningside/preview?lang=tr", cookie);
  ASSERT_EQ(tr.status, 200);
  EXPECT_NE(tr.body.find("<html lang=\"tr\">"), std::string::npos);
  EXPECT_NE(tr.body.find("Morningside&#39;da polise güven"), std::string::npos);
  EXPECT_NE(tr.body.find("Hangi mahallede (ward) yaşıyorsunuz?"), std::string::npos);
  EXPECT_NE(tr.body.find("Preview: answers are not recorded."), std::string::npos);
  EXPECT_NE(tr.body.find("Fairmilehead"), std::string::npos);
  EXPECT_EQ(tr.body.find("/responses"), std::string::npos);  // no form that posts anywhere
  EXPECT_NE(tr.body.find("<button type=\"submit\" disabled>"), std::string::npos);
  EXPECT_NE(tr.body.find("href=\"/admin/surveys/morningside/preview?lang=en\""), std::string::npos);
  EXPECT_EQ(tr.body.find("href=\"/s/morningside"), std::string::npos);  // no resident link
  EXPECT_EQ(tr.Header("set-cookie"), "");
  const HttpReply en = Get("/admin/surveys/morningside/preview?lang=pl", cookie);  // not offered
  EXPECT_NE(en.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.body.find("Trust in policing in Morningside"), std::string::npos);
  EXPECT_EQ(Get("/admin/surveys/nothing/preview", cookie).status, 404);
  // Looking changes nothing: the survey is still closed, with no responses.
  EXPECT_EQ(Listed("morningside").at("open"), false);
}

TEST_F(ConsoleFormTest, RotatingTheTokenEndsTheOldOneAndEveryOtherSession) {
  const std::string mine = SignIn(), other = SignIn();
  const HttpReply confirm = Get("/admin/token", mine);
  EXPECT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find("Rotate the admin token?"), std::string::npos);
  EXPECT_EQ(Admin("GET", "/api/admin/surveys").status, 200);  // the confirmation changes nothing

  const HttpReply r = Post("/admin/token", "", mine, Origin());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  const size_t at = r.body.find("<code>");
  ASSERT_NE(at, std::string::npos) << r.body;
  const std::string token = r.body.substr(at + 6, r.body.find("</code>") - at - 6);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_NE(token, server_.admin_token());

  // The old token works nowhere; the new one everywhere.
  EXPECT_EQ(Admin("GET", "/api/admin/surveys").status, 403);
  EXPECT_EQ(Post("/admin/sign-in", "token=" + server_.admin_token(), "", Origin()).status, 403);
  EXPECT_EQ(client_.Get("/api/admin/surveys", {{"Authorization", "Bearer " + token}}).status, 200);
  EXPECT_EQ(Post("/admin/sign-in", "token=" + token, "", Origin()).status, 303);
  // This organiser stays signed in; the other session ended.
  EXPECT_EQ(Get("/admin", mine).status, 200);
  EXPECT_EQ(Get("/admin", other).status, 303);

  const auto audit = Audit();
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ(Str(audit.back(), "action"), "admin-token.rotate");
  EXPECT_EQ(Str(audit.back(), "detail"), "done");
  // Shown once: the token is in no log and no file of the data folder in clear.
  for (const auto& entry : fs::recursive_directory_iterator(server_.dir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes.find(token), std::string::npos) << entry.path();
  }
}

TEST_F(ConsoleFormTest, ACrossSitePostIsRefusedOnEveryNewRoute) {
  const std::string cookie = SignIn();
  const size_t audit_before = Audit().size();
  for (const std::string origin : {"https://evil.example", ""}) {
    for (const auto& [target, body] : std::vector<std::pair<std::string, std::string>>{
             {"/admin/new", Encode(NewSurvey())},
             {"/admin/surveys/demo/edit", Encode(With(NewSurvey(), "title_en", "Changed"))},
             {"/admin/token", ""}}) {
      SCOPED_TRACE(target + " from " + origin);
      const HttpReply r = Post(target, body, cookie, origin);
      EXPECT_EQ(r.status, 403);
      EXPECT_NE(r.body.find("Refused: not sent from the console"), std::string::npos);
    }
  }
  EXPECT_EQ(Audit().size(), audit_before);
  EXPECT_EQ(Admin("GET", "/api/admin/surveys").status, 200);  // the token is unchanged
  EXPECT_EQ(Admin("GET", "/api/admin/surveys/morningside").status, 404);
  EXPECT_EQ(Stored("demo").at("version").as_int64(), 1);
  // Signed out, each is refused too.
  for (const char* target : {"/admin/new", "/admin/surveys/demo/edit", "/admin/token"})
    EXPECT_EQ(Post(target, "", "", Origin()).status, 403) << target;
}

}  // namespace
}  // namespace candour::testing::admin
