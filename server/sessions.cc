#include "server/sessions.h"

#include <algorithm>

#include "crypto/token.h"

namespace candour::server {

namespace {
constexpr std::string_view kContext = "candour console session";
}  // namespace

SessionStore::SessionStore(std::chrono::milliseconds idle, size_t max, Clock now)
    : idle_(idle), max_(std::max<size_t>(1, max)), now_(std::move(now)) {}

std::string SessionStore::Key(std::string_view id) { return crypto::SecretHash(kContext, id); }

void SessionStore::DropExpired(std::chrono::system_clock::time_point now) {
  std::erase_if(sessions_, [&](const auto& kv) { return now - kv.second.last >= idle_; });
}

std::string SessionStore::Start() {
  std::string id = crypto::NewAdminToken();  // 32 random bytes, hex
  const auto now = now_();
  std::lock_guard lock(mu_);
  DropExpired(now);
  while (sessions_.size() >= max_) {
    auto oldest = std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
    sessions_.erase(oldest);
  }
  sessions_[Key(id)] = Entry{now};
  return id;
}

bool SessionStore::Touch(std::string_view id) {
  if (id.empty()) return false;
  const std::string key = Key(id);
  const auto now = now_();
  std::lock_guard lock(mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return false;
  if (now - it->second.last >= idle_) {
    sessions_.erase(it);
    return false;
  }
  it->second.last = now;
  return true;
}

void SessionStore::End(std::string_view id) {
  if (id.empty()) return;
  const std::string key = Key(id);
  std::lock_guard lock(mu_);
  sessions_.erase(key);
}

void SessionStore::EndAllBut(std::string_view id) {
  const std::string key = id.empty() ? "" : Key(id);
  std::lock_guard lock(mu_);
  std::erase_if(sessions_, [&](const auto& kv) { return kv.first != key; });
}

size_t SessionStore::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

}  // namespace candour::server
