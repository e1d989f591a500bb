// Admin: the organisers' API under /api/admin/ (surveys: create, new versions, open, close,
// publish; single-use codes), behind the admin token, every action in the audit log.
// Only the token's hash is stored (meta record "admin/token"); a presented token is hashed
// and compared in constant time. Errors say "missing" (401) or "not valid" (403), nothing more.
// Handle blocks on synced writes (and, for a new version that changes the index, a scan of
// the store): App runs it off the I/O threads.
// Thread-safe.
#pragma once

#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/config.h"
#include "server/http_util.h"
#include "store/store.h"
#include "survey/audit_log.h"
#include "survey/catalog.h"
#include "survey/codes.h"
#include "survey/survey_index.h"

namespace candour::server {

class Admin {
 public:
  // Everything must outlive the Admin.
  Admin(const ServerConfig& config, survey::SurveyCatalog& catalog, store::Store& store,
        survey::SurveyIndexes& indexes, survey::AuditLog& audit, survey::Codes& codes);

  // Handles a request whose path is /api/admin/SEGMENTS (segments after "admin").
  Response Handle(const Request& req, const std::vector<std::string_view>& segments);

 private:
  // 401/403 unless the request carries the admin token.
  std::optional<Response> Refuse(const Request& req) const;
  Response List(const Request& req) const;
  Response Create(const Request& req);
  Response NewVersion(const Request& req, const std::string& id);
  Response SetState(const Request& req, const std::string& id, std::string_view action);
  Response IssueCodes(const Request& req, const std::string& id);
  // Audits an action; false (and the caller answers 500) if the log cannot be written.
  bool Audit(std::string_view action, std::string_view survey, std::string_view detail);

  const ServerConfig& config_;
  survey::SurveyCatalog& catalog_;
  store::Store& store_;
  survey::SurveyIndexes& indexes_;
  survey::AuditLog& audit_;
  survey::Codes& codes_;
  std::mutex edit_mu_;  // one definition change at a time (read, check, write)
};

}  // namespace candour::server
