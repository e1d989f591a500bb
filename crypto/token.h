// Secrets a person types or keeps: the admin token and single-use survey codes. Only their
// hashes are stored; a presented secret is hashed and compared in constant time.
// Thread-safe: pure functions. REQUIRES: sodium_init() has succeeded.
#pragma once

#include <string>
#include <string_view>

namespace candour::crypto {

// A new admin token: 32 random bytes as 64 lowercase hex digits.
std::string NewAdminToken();

// A new single-use code: `length` characters from an alphabet without look-alikes
// (no 0/o, 1/l/i), so it survives being printed and typed. 12 characters carry 60 bits.
std::string NewCode(size_t length = 12);

// The stored form of a secret: BLAKE2b-256 of `context` and the secret, as 64 hex digits.
// `context` separates uses (a code hash is never an admin token hash).
std::string SecretHash(std::string_view context, std::string_view secret);

// True if `secret` hashes to `stored_hash`, compared in constant time.
bool SecretMatches(std::string_view context, std::string_view secret, std::string_view stored_hash);

}  // namespace candour::crypto
