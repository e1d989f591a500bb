// Admin: the thin handlers of the organisers' API under /api/admin/ (surveys: list, read,
// create, new versions, open, close, publish; single-use codes). Each parses the request into a
// call to survey::Organiser (which does and audits the action on its own worker) and maps the
// result to a status and a body. The route table (App) sends only requests that carry the
// admin token here: Refuse checks it. Only the token's hash is stored (meta record
// "admin/token"); a presented token is hashed and compared in constant time. Errors say
// "missing" (401) or "not valid" (403), nothing more.
// Thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "server/config.h"
#include "server/http_util.h"
#include "server/router.h"
#include "store/store.h"
#include "survey/catalog.h"
#include "survey/organiser.h"
#include "survey/survey_index.h"

namespace candour::server {

class Admin {
 public:
  // Everything must outlive the Admin.
  Admin(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
        survey::SurveyIndexes& indexes, survey::Organiser& organiser);

  // 401 (missing), 403 (not valid) or 503 (cannot be checked) unless the request carries the
  // admin token; nullopt if it does.
  std::optional<Response> Refuse(const Request& req) const;

  // GET /api/admin/surveys: every survey's state and response count.
  Response List(const Call& call) const;
  // GET /api/admin/surveys/{survey}: the definition.
  Response Get(const Call& call) const;
  // GET /api/admin/surveys/{survey}/sources: responses per source and month, as the
  // console shows them (web::SourceCountsJson): 200 or 404.
  Response Sources(const Call& call) const;
  // POST /api/admin/surveys: 201, 400, 409 or 500.
  boost::asio::awaitable<Response> Create(const Call& call);
  // PUT /api/admin/surveys/{survey}: 200, 400, 404 or 500.
  boost::asio::awaitable<Response> NewVersion(const Call& call);
  // POST /api/admin/surveys/{survey}/{open,close,publish,unpublish}: 200, 404 or 500.
  boost::asio::awaitable<Response> SetState(const Call& call, survey::Organiser::Change change);
  // POST /api/admin/surveys/{survey}/codes?count=N[&format=csv|html]: 201, 400, 404 or 500.
  boost::asio::awaitable<Response> IssueCodes(const Call& call);
  // pkg: POST /api/admin/backup with {"to": "/ABSOLUTE/NEW/DIR"}: a consistent backup of the
  // data folder made while serving (store::Store::Checkpoint), on the server's side: 201, 400
  // (bad body, relative path, missing parent), 409 (DIR exists) or 500.
  boost::asio::awaitable<Response> Backup(const Call& call);

 private:
  // Constant after construction.
  const ServerConfig& config_;
  survey::SurveyCatalog& catalog_;
  store::Store& store_;
  survey::SurveyIndexes& indexes_;
  survey::Organiser& organiser_;
};

}  // namespace candour::server
