#include "server/render_cache.h"

#include "server/gzip.h"

namespace candour::server {
namespace {

// As MaybeGzip: smaller bodies are sent as they are.
constexpr size_t kGzipFrom = 256;

size_t SizeOf(const RenderCache::Rendered& r) { return r.plain.size() + r.gzip.size(); }

}  // namespace

std::shared_ptr<const RenderCache::Rendered> RenderCache::Get(
    const std::shared_ptr<const stats::Release>& release, const std::string& key,
    const std::function<std::string()>& render) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.address == release.get() &&
        !it->second.release.expired()) {
      it->second.used = ++clock_;
      return it->second.body;
    }
  }
  auto body = std::make_shared<Rendered>();
  body->plain = render();
  if (body->plain.size() >= kGzipFrom) body->gzip = Gzip(body->plain);
  std::lock_guard lock(mu_);
  Entry& e = entries_[key];
  if (e.body) bytes_ -= SizeOf(*e.body);
  e = Entry{release, release.get(), body, ++clock_};
  bytes_ += SizeOf(*body);
  EvictLocked();
  return body;
}

void RenderCache::EvictLocked() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.release.expired()) {
      bytes_ -= SizeOf(*it->second.body);
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  while (bytes_ > max_bytes_ && !entries_.empty()) {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->second.used < oldest->second.used) oldest = it;
    bytes_ -= SizeOf(*oldest->second.body);
    entries_.erase(oldest);
  }
}

size_t RenderCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t RenderCache::entries() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace candour::server
