#include "server/admin.h"

#include <boost/json.hpp>

#include "survey/admin_token.h"
#include "survey/text_codec.h"
#include "web/pages.h"
#include "web/qr.h"

namespace candour::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

Response JsonError(const Request& req, http::status status, std::string_view message) {
  return Json(req, status, {{"error", message}, {"status", static_cast<int>(status)}});
}

json::object State(const survey::Survey& s) {
  return {{"id", s.id},
          {"version", s.version},
          {"open", s.open},
          {"public_results", s.public_results},
          {"requires_code", s.requires_code}};
}

// The definition `json_text` with `changes` applied, parsed.
boost::system::result<survey::Survey, std::string> WithFields(std::string_view json_text,
                                                              const json::object& changes) {
  boost::system::error_code ec;
  json::value v = json::parse(json_text, ec);
  if (ec || !v.is_object()) return survey::ParseSurvey(json_text);  // fails, saying why
  for (const auto& [k, value] : changes) v.as_object()[k] = value;
  return survey::ParseSurvey(json::serialize(v));
}

}  // namespace

Admin::Admin(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
             survey::SurveyIndexes& indexes, survey::AuditLog& audit, survey::Codes& codes)
    : config_(config),
      catalog_(catalog),
      store_(store),
      indexes_(indexes),
      audit_(audit),
      codes_(codes) {}

std::optional<Response> Admin::Refuse(const Request& req) const {
  const std::string_view auth(req[http::field::authorization].data(),
                              req[http::field::authorization].size());
  if (auth.empty()) {
    Response r = JsonError(req, http::status::unauthorized, "the admin token is missing");
    r.set(http::field::www_authenticate, "Bearer");
    return r;
  }
  auto ok = auth.starts_with("Bearer ") ? survey::IsAdminToken(store_, auth.substr(7))
                                        : boost::system::result<bool>(false);
  if (!ok) {
    return JsonError(req, http::status::service_unavailable, "the admin token cannot be checked");
  }
  if (!*ok) return JsonError(req, http::status::forbidden, "the admin token is not valid");
  return std::nullopt;
}

bool Admin::Audit(std::string_view action, std::string_view survey, std::string_view detail) {
  return !audit_.Append(config_.now(), action, survey, detail);
}

Response Admin::Handle(const Request& req, const std::vector<std::string_view>& seg) {
  if (auto refused = Refuse(req)) return std::move(*refused);
  const auto method = req.method();
  auto wrong_method = [&](http::verb allowed) {
    Response r =
        JsonError(req, http::status::method_not_allowed,
                  "this address accepts " + std::string(http::to_string(allowed)) + " only");
    r.set(http::field::allow, http::to_string(allowed));
    return r;
  };
  if (seg.size() == 1 && seg[0] == "surveys") {
    if (method == http::verb::get) return List(req);
    if (method == http::verb::post) return Create(req);
    return wrong_method(http::verb::post);
  }
  if (seg.size() >= 2 && seg[0] == "surveys") {
    const std::string id(seg[1]);
    if (!catalog_.Get(id))
      return JsonError(req, http::status::not_found, "there is no survey \"" + id + "\"");
    if (seg.size() == 2) {
      if (method == http::verb::get)
        return Make(req, http::status::ok, "application/json", catalog_.Get(id)->json);
      if (method == http::verb::put) return NewVersion(req, id);
      return wrong_method(http::verb::put);
    }
    if (seg.size() == 3 &&
        (seg[2] == "open" || seg[2] == "close" || seg[2] == "publish" || seg[2] == "unpublish")) {
      if (method != http::verb::post) return wrong_method(http::verb::post);
      return SetState(req, id, seg[2]);
    }
    if (seg.size() == 3 && seg[2] == "codes") {
      if (method != http::verb::post) return wrong_method(http::verb::post);
      return IssueCodes(req, id);
    }
  }
  return JsonError(req, http::status::not_found, "there is nothing at this address");
}

Response Admin::List(const Request& req) const {
  json::array surveys;
  for (const auto& s : catalog_.List()) {
    json::object o = State(*s);
    o["title"] = s->title.In(s->default_language(), "");
    size_t responses = 0;
    indexes_.Read(s->id, [&](const stats::ResponseIndex& index) { responses = index.size(); });
    o["responses"] = responses;
    surveys.push_back(std::move(o));
  }
  return Json(req, http::status::ok, {{"surveys", std::move(surveys)}});
}

Response Admin::Create(const Request& req) {
  std::lock_guard lock(edit_mu_);
  auto survey = WithFields(req.body(), {{"version", 1}});
  if (!survey) return JsonError(req, http::status::bad_request, survey.error());
  if (catalog_.Get(survey->id)) {
    return JsonError(req, http::status::conflict,
                     "survey \"" + survey->id + "\" exists; PUT /api/admin/surveys/" + survey->id +
                         " makes a new version");
  }
  const std::string id = survey->id;
  if (auto ec = catalog_.Put(store_, std::move(*survey));
      ec || !Audit("survey.create", id, "version 1")) {
    return JsonError(req, http::status::internal_server_error, "the survey could not be stored");
  }
  return Json(req, http::status::created, {{"id", id}, {"version", 1}});
}

Response Admin::NewVersion(const Request& req, const std::string& id) {
  std::lock_guard lock(edit_mu_);
  const auto current = catalog_.Get(id);
  boost::system::error_code ec;
  const json::value body = json::parse(req.body(), ec);
  const json::value* body_id =
      !ec && body.is_object() ? body.as_object().if_contains("id") : nullptr;
  if (!body_id || *body_id != json::value(id)) {
    return JsonError(req, http::status::bad_request,
                     "id: expected \"" + id + "\", as in the address");
  }
  auto next = WithFields(req.body(), {{"version", current->version + 1}});
  if (!next) return JsonError(req, http::status::bad_request, next.error());
  if (const std::string why = survey::IncompatibleChange(*current, *next); !why.empty()) {
    return JsonError(req, http::status::bad_request, why);
  }
  const int64_t version = next->version;
  // The earlier version is kept as it was: responses to it were answers to that text.
  auto shared = std::make_shared<const survey::Survey>(std::move(*next));
  if (store_.PutMeta("survey-version/" + id + "/" + std::to_string(current->version),
                     current->json) ||
      catalog_.Put(store_, *shared) || indexes_.Reindex(store_, shared) ||
      !Audit("survey.version", id, "version " + std::to_string(version))) {
    return JsonError(req, http::status::internal_server_error,
                     "the new version could not be stored");
  }
  return Json(req, http::status::ok, {{"id", id}, {"version", version}});
}

Response Admin::SetState(const Request& req, const std::string& id, std::string_view action) {
  std::lock_guard lock(edit_mu_);
  const auto current = catalog_.Get(id);
  json::object change;
  if (action == "open" || action == "close")
    change["open"] = action == "open";
  else
    change["public_results"] = action == "publish";
  // Opening, closing and publishing change no question: the version stays.
  auto next = WithFields(current->json, change);
  if (!next) return JsonError(req, http::status::internal_server_error, next.error());
  json::object state = State(*next);
  if (catalog_.Put(store_, std::move(*next)) || !Audit("survey." + std::string(action), id, "")) {
    return JsonError(req, http::status::internal_server_error, "the change could not be stored");
  }
  return Json(req, http::status::ok, state);
}

Response Admin::IssueCodes(const Request& req, const std::string& id) {
  const Target target = TargetOf(req);
  const std::string count_text = target.Query("count");
  const std::string format = target.Query("format");
  char* end = nullptr;
  const long count = std::strtol(count_text.c_str(), &end, 10);
  if (count_text.empty() || *end != '\0' || count < 1 ||
      count > static_cast<long>(survey::Codes::kMaxIssue)) {
    return JsonError(
        req, http::status::bad_request,
        "count: expected a number from 1 to " + std::to_string(survey::Codes::kMaxIssue));
  }
  if (!format.empty() && format != "csv" && format != "html") {
    return JsonError(req, http::status::bad_request, "format: expected csv or html");
  }
  auto codes = codes_.Issue(id, static_cast<size_t>(count));
  if (!codes || !Audit("codes.issue", id, std::to_string(count) + " codes issued")) {
    return JsonError(req, http::status::internal_server_error, "the codes could not be stored");
  }
  if (format == "html") {
    return Html(req, http::status::created,
                web::RenderCodeSheet(*catalog_.Get(id), *codes, [&](const std::string& code) {
                  return survey::SurveyUrl(config_.public_url, id, "code", code);
                }));
  }
  std::string csv = "code,link\n";
  for (const std::string& code : *codes)
    csv += code + "," + survey::SurveyUrl(config_.public_url, id, "code", code) + "\n";
  Response r = Make(req, http::status::created, "text/csv; charset=utf-8", std::move(csv));
  r.set(http::field::content_disposition, "attachment; filename=\"" + id + "-codes.csv\"");
  return r;
}

}  // namespace candour::server
