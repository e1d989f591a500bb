#include "server/admin.h"

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "server/completion.h"
#include "store/errc.h"
#include "survey/admin_token.h"
#include "survey/audit_log.h"
#include "survey/source_counts.h"
#include "survey/text_codec.h"
#include "web/pages.h"
#include "web/source_pages.h"

namespace candour::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using Result = survey::OrganiserResult;

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

// The refusal or failure of an action that was not done.
Response NotDone(const Request& req, const Result& r) {
  switch (r.status) {
    case Result::Status::kInvalid:
      return JsonError(req, http::status::bad_request, r.message);
    case Result::Status::kNotFound:
      return JsonError(req, http::status::not_found, r.message);
    case Result::Status::kConflict:
      return JsonError(req, http::status::conflict, r.message);
    case Result::Status::kDone:
    case Result::Status::kFailed:
      break;
  }
  return JsonError(req, http::status::internal_server_error, r.message);
}

// Runs one Organiser action and resumes here with its result.
template <class Start>
boost::asio::awaitable<Result> Act(Start start) {
  return Completion<Result>(std::move(start));
}

}  // namespace

Admin::Admin(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
             survey::SurveyIndexes& indexes, survey::Organiser& organiser)
    : config_(config), catalog_(catalog), store_(store), indexes_(indexes), organiser_(organiser) {}

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

Response Admin::List(const Call& call) const {
  json::array surveys;
  for (const auto& s : catalog_.List()) {
    json::object o = State(*s);
    o["title"] = s->title.In(s->default_language(), "");
    size_t responses = 0;
    indexes_.Read(s->id, [&](const stats::ResponseIndex& index) { responses = index.size(); });
    o["responses"] = responses;
    surveys.push_back(std::move(o));
  }
  return Json(call.req, http::status::ok, {{"surveys", std::move(surveys)}});
}

Response Admin::Get(const Call& call) const {
  const std::string& id = call.Param("survey");
  const auto survey = catalog_.Get(id);
  if (!survey) {
    return JsonError(call.req, http::status::not_found, "there is no survey \"" + id + "\"");
  }
  return Make(call.req, http::status::ok, "application/json", survey->json);
}

Response Admin::Sources(const Call& call) const {
  const std::string& id = call.Param("survey");
  const auto survey = catalog_.Get(id);
  if (!survey) {
    return JsonError(call.req, http::status::not_found, "there is no survey \"" + id + "\"");
  }
  const auto today = std::chrono::floor<std::chrono::days>(config_.now());
  return Make(call.req, http::status::ok, "application/json",
              web::SourceCountsJson(*survey, survey::CountSources(*survey, indexes_, today)));
}

boost::asio::awaitable<Response> Admin::Create(const Call& call) {
  const Result r =
      co_await Act([&](auto done) { organiser_.Create(call.req.body(), std::move(done)); });
  if (r.status == Result::Status::kConflict) {
    co_return JsonError(
        call.req, http::status::conflict,
        r.message + "; PUT /api/admin/surveys/" + r.survey->id + " makes a new version");
  }
  if (r.status != Result::Status::kDone) co_return NotDone(call.req, r);
  co_return Json(call.req, http::status::created,
                 {{"id", r.survey->id}, {"version", r.survey->version}});
}

boost::asio::awaitable<Response> Admin::NewVersion(const Call& call) {
  const Result r = co_await Act([&](auto done) {
    organiser_.NewVersion(call.Param("survey"), call.req.body(), std::move(done));
  });
  if (r.status != Result::Status::kDone) co_return NotDone(call.req, r);
  co_return Json(call.req, http::status::ok,
                 {{"id", r.survey->id}, {"version", r.survey->version}});
}

boost::asio::awaitable<Response> Admin::SetState(const Call& call,
                                                 survey::Organiser::Change change) {
  const Result r = co_await Act(
      [&](auto done) { organiser_.SetState(call.Param("survey"), change, std::move(done)); });
  if (r.status != Result::Status::kDone) co_return NotDone(call.req, r);
  co_return Json(call.req, http::status::ok, State(*r.survey));
}

boost::asio::awaitable<Response> Admin::IssueCodes(const Call& call) {
  const std::string count_text = call.target.Query("count");
  const std::string format = call.target.Query("format");
  char* end = nullptr;
  const long count = std::strtol(count_text.c_str(), &end, 10);
  // Not a number: 0, which the Organiser refuses saying what is expected (once it knows the
  // survey exists).
  const size_t wanted = count_text.empty() || *end != '\0' || count < 1 ? 0 : size_t(count);
  if (!format.empty() && format != "csv" && format != "html") {
    co_return JsonError(call.req, http::status::bad_request, "format: expected csv or html");
  }
  const std::string& id = call.Param("survey");
  const Result r =
      co_await Act([&](auto done) { organiser_.IssueCodes(id, wanted, std::move(done)); });
  if (r.status != Result::Status::kDone) co_return NotDone(call.req, r);
  auto link = [&](const std::string& code) {
    return survey::SurveyUrl(config_.public_url, id, "code", code);
  };
  if (format == "html") {
    co_return Html(call.req, http::status::created, web::RenderCodeSheet(*r.survey, r.codes, link));
  }
  Response res = Make(call.req, http::status::created, "text/csv; charset=utf-8",
                      web::CodesCsv(r.codes, link));
  res.set(http::field::content_disposition, "attachment; filename=\"" + id + "-codes.csv\"");
  co_return res;
}

// ---- pkg: POST /api/admin/backup ------------------------------------------------------------
// The checkpoint blocks (a flush, then links or copies), so it runs on the Organiser's worker
// and the session resumes on its strand when it is done.
boost::asio::awaitable<Response> Admin::Backup(const Call& call) {
  boost::system::error_code parse_ec;
  const json::value body = json::parse(call.req.body(), parse_ec);
  const json::string* to_text = !parse_ec && body.is_object() && body.as_object().contains("to") &&
                                        body.as_object().at("to").is_string()
                                    ? &body.as_object().at("to").as_string()
                                    : nullptr;
  if (!to_text) {
    co_return JsonError(call.req, http::status::bad_request,
                        "expected {\"to\": \"/ABSOLUTE/NEW/DIR\"}");
  }
  const std::filesystem::path to(std::string_view(to_text->data(), to_text->size()));
  if (!to.is_absolute() || to.lexically_normal() != to || to.filename().empty() ||
      to.native().find('\0') != std::string::npos) {
    co_return JsonError(call.req, http::status::bad_request,
                        "to: expected an absolute path to a new folder, without . or ..");
  }
  std::error_code fs_ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(to, fs_ec))) {
    co_return JsonError(call.req, http::status::conflict,
                        "to: " + to.string() + " exists; a backup goes into a new folder");
  }
  if (!std::filesystem::is_directory(to.parent_path(), fs_ec)) {
    co_return JsonError(call.req, http::status::bad_request,
                        "to: the folder " + to.parent_path().string() + " does not exist");
  }
  const auto start = std::chrono::steady_clock::now();
  // Through the Organiser, which audits it (and runs it off the I/O threads).
  const Result r = co_await Act([&](auto done) { organiser_.BackUp(to, std::move(done)); });
  if (r.status == Result::Status::kConflict) {  // made by another request meanwhile
    co_return JsonError(call.req, http::status::conflict, r.message);
  }
  if (r.status != Result::Status::kDone) {
    config_.operator_log("backup to " + to.string() + " failed: " + r.message);
    co_return JsonError(call.req, http::status::internal_server_error, r.message);
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  co_return Json(call.req, http::status::created, {{"backup", to.string()}, {"milliseconds", ms}});
}
// ---- pkg: end -------------------------------------------------------------------------------

}  // namespace candour::server
