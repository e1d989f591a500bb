// SessionStore: the organiser console's sign-in sessions, in memory only (a restart signs
// everyone out). A session is a random id (32 bytes from libsodium, as hex) that lives in the
// `candour_session` cookie; only its hash is kept here, so this map holds nothing that signs in.
// A session ends on sign-out, after `idle` without a request, or when `max` newer ones push
// out the least recently used.
// Thread-safe: one mutex.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace candour::server {

class SessionStore {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // `now` is the clock inactivity is measured by; REQUIRES: max >= 1.
  SessionStore(std::chrono::milliseconds idle, size_t max, Clock now);

  // A new session; returns its id (the cookie's value).
  std::string Start();
  // Whether `id` is a live session; if so its inactivity starts again.
  bool Touch(std::string_view id);
  // Ends the session (nothing if there is none).
  void End(std::string_view id);
  // Ends every session but `id` (all of them if `id` is none): after the token is rotated.
  void EndAllBut(std::string_view id);
  size_t size() const;

 private:
  struct Entry {
    std::chrono::system_clock::time_point last;
  };
  static std::string Key(std::string_view id);
  void DropExpired(std::chrono::system_clock::time_point now);  // REQUIRES: mu_ held

  const std::chrono::milliseconds idle_;
  const size_t max_;
  const Clock now_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> sessions_;  // guarded by mu_; by hash of the id
};

}  // namespace candour::server
