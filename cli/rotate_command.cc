// `candour rotate-key` (commands.h): re-seals a stopped server's data under a new data key
// (store/key_rotation.h), audited: its intent before the first re-seal, its outcome after.
// The current key file is left as it is and the new key lives in its own file, which is the
// data key once the command reports success: a crash at any point leaves both files in place,
// and the same command, run again, finishes the rotation.
#include <sodium.h>

#include <chrono>
#include <iostream>

#include "cli/commands.h"
#include "crypto/errc.h"
#include "crypto/key_file.h"
#include "store/data_folder.h"
#include "store/errc.h"
#include "store/key_rotation.h"
#include "survey/audit_log.h"

namespace candour::cli {
namespace {

constexpr char kRotateAction[] = "key.rotate";

crypto::DataKey Copy(const crypto::DataKey& key) {
  return crypto::DataKey::FromBytes(
      std::span<const uint8_t, crypto::DataKey::kBytes>(key.data(), crypto::DataKey::kBytes));
}

bool Inside(const fs::path& file, const fs::path& folder) {
  std::error_code ec;
  return fs::weakly_canonical(file, ec).string().starts_with(
      fs::weakly_canonical(folder, ec).string() + "/");
}

std::string RunAgain(const Options& o) {
  return "`candour rotate-key --data " + o.data.string() + " --key-file " + o.key_file.string() +
         " --new-key-file " + o.new_key_file.string() + "`";
}

// The outcome line, written under the new key; a failure is reported but does not undo it.
void AuditOutcome(const Options& o, const std::string& detail) {
  Options with_new = o;
  with_new.key_file = o.new_key_file;
  auto store = OpenStore(with_new, false);
  if (!store) return;
  survey::AuditLog audit(o.data, **store);
  if (auto ec = audit.Append(std::chrono::system_clock::now(), kRotateAction, "", detail)) {
    Fail("the key was rotated, but its outcome could not be written to the audit log: " +
         ec.message());
  }
}

// Opens the folder as every command does, to learn its state: 0 to go on (the intent audited),
// 1 to stop (with why printed), 2 if the rotation is already done; *resuming when a rotation
// is under way.
int Prepare(const Options& o, const crypto::DataKey& old_key, bool* resuming) {
  std::string detail;
  auto opened = store::Store::Open(StoreOptionsFor(o, false), Copy(old_key), &detail);
  const std::string dir = o.data.string();
  if (opened) {
    survey::AuditLog audit(o.data, **opened);
    if (auto ec = audit.Append(std::chrono::system_clock::now(), kRotateAction, "",
                               "intent: re-seal every response under the key in " +
                                   fs::absolute(o.new_key_file).string())) {
      Fail("the audit log could not be written, so nothing was done: " + ec.message() +
           " (`candour audit verify` says what is wrong)");
      return 1;
    }
    return 0;
  }
  const auto ec = opened.error();
  if (ec == store::Errc::kRotating) {
    *resuming = true;
    return 0;
  }
  if (ec == store::Errc::kLocked) {
    Fail("a running server (or another candour command) holds " + dir +
         ": stop it first (e.g. `systemctl stop candour`), then run this again. Keys are "
         "rotated on a stopped server only.");
    return 1;
  }
  if (ec == store::Errc::kWrongKey) {
    if (auto new_key = crypto::ReadKeyFile(o.new_key_file)) {
      auto with_new = store::Store::Open(StoreOptionsFor(o, false), std::move(*new_key));
      if (with_new) {
        std::cout << "The data folder " << dir << " is already sealed under the key in "
                  << o.new_key_file.string() << ": nothing to do. Point --key-file at it."
                  << std::endl;
        return 2;
      }
    }
    Fail("the key in " + o.key_file.string() + " does not open " + dir +
         " (wrong old key): --key-file must name the key the folder is sealed with now.");
    return 1;
  }
  Fail(OpenFailure(o, ec, detail));
  return 1;
}

// Reads the new key, or makes it when missing (never while resuming: the rotation under way
// is to a key that exists somewhere).
boost::system::result<crypto::DataKey> NewKey(const Options& o, bool resuming) {
  const std::string file = o.new_key_file.string();
  auto read = crypto::ReadKeyFile(o.new_key_file);
  if (read || read.error() != crypto::Errc::kKeyFileMissing) {
    if (!read) Fail("cannot use --new-key-file " + file + ": " + read.error().message());
    return read;
  }
  if (resuming) {
    Fail("the new key file " + file +
         " is missing, but a rotation to a key is under way: pass the new key file the "
         "interrupted rotation made (`candour count` names it). No key was made.");
    return read;
  }
  auto created = crypto::CreateKeyFile(o.new_key_file);
  if (!created) {
    Fail("cannot create the new key file " + file + ": " + created.error().message());
  } else {
    std::cout << "Generated a new data key in " << file << " (mode 0600)." << std::endl;
  }
  return created;
}

}  // namespace

int RotateKeyCommand(const Options& o) {
  const std::string dir = o.data.string();
  std::error_code fs_ec;
  if (fs::weakly_canonical(o.new_key_file, fs_ec) == fs::weakly_canonical(o.key_file, fs_ec)) {
    return Fail("--new-key-file names the current key file: name a new file for the new key");
  }
  if (Inside(o.new_key_file, o.data)) {
    return Fail("the new key file " + o.new_key_file.string() +
                " must be outside the data folder " + dir +
                " (a copy of the folder must not carry its key)");
  }
  if (!store::Store::Exists(o.data)) {
    return Fail("there is no Candour database in " + dir + " (is --data right?)");
  }
  auto old_key = crypto::ReadKeyFile(o.key_file);
  if (!old_key) {
    return Fail("cannot use the current key file " + o.key_file.string() + ": " +
                old_key.error().message());
  }
  if (auto existing = crypto::ReadKeyFile(o.new_key_file);
      existing && sodium_memcmp(existing->data(), old_key->data(), crypto::DataKey::kBytes) == 0) {
    return Fail("the new key in " + o.new_key_file.string() +
                " is the same as the current key in " + o.key_file.string() +
                ": a rotation needs a different key (name a missing file to "
                "have one made)");
  }
  bool resuming = false;
  if (const int state = Prepare(o, *old_key, &resuming)) return state == 2 ? 0 : 1;
  auto new_key = NewKey(o, resuming);
  if (!new_key) return 1;
  fs::path marker = o.new_key_file;
  marker += ".held-data";
  if (auto ec = store::MarkHeldData(marker)) {
    return Fail("cannot write " + marker.string() + ": " + ec.message());
  }

  if (resuming)
    std::cout << "Finishing the key rotation of " << dir << " begun earlier" << std::endl;
  std::cout << "Rotating the data key of " << dir << " to " << o.new_key_file.string() << std::endl;
  store::RotationOptions options{.dir = o.data,
                                 .old_key_file = o.key_file,
                                 .new_key_file = o.new_key_file,
                                 .batch_responses = static_cast<size_t>(o.rotate_batch),
                                 .on_batch = [](uint64_t resealed) {
                                   std::cout << "re-sealed " << resealed << " responses"
                                             << std::endl;
                                   return true;
                                 }};
  const auto start = std::chrono::steady_clock::now();
  std::string detail;
  auto rotated = store::RotateKey(options, *old_key, *new_key, &detail);
  if (!rotated) {
    if (rotated.error() == store::Errc::kWrongKey && !detail.empty()) {
      const size_t nl = detail.find('\n');
      return Fail("the rotation under way in " + dir + " is from the key in " +
                  detail.substr(0, nl) + " to the key in " + detail.substr(nl + 1) +
                  ", not between these keys: run `candour rotate-key --data " + dir +
                  " --key-file " + detail.substr(0, nl) + " --new-key-file " +
                  detail.substr(nl + 1) + "`");
    }
    if (rotated.error() == store::Errc::kLocked) {
      return Fail("another process opened " + dir + " meanwhile: stop it and run " + RunAgain(o) +
                  " to finish");
    }
    return Fail("the rotation stopped: " + rotated.error().message() +
                ". Nothing is lost and the folder stays refused until it is finished: fix "
                "that, then run " +
                RunAgain(o));
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  const store::RotationReport& r = *rotated;
  const std::string new_file = o.new_key_file.string();
  AuditOutcome(o, "done: " + std::to_string(r.resealed) + " responses re-sealed" +
                      (r.resumed ? " (finishing an interrupted rotation)" : "") +
                      "; the data key is now " + fs::absolute(o.new_key_file).string());
  std::cout << "Rotated the data key of " << dir << ": " << r.resealed
            << " responses and the key-check records re-sealed in " << ms << " ms"
            << (r.compacted ? "" : " (the old ciphertexts leave the live files at the next scrub)")
            << ".\nThe data key is now " << new_file << ": point --key-file (or key-file in the "
            << "config file) at it, then start the server. " << o.key_file.string()
            << " no longer opens " << dir
            << "; keep it, apart from the data, only while you keep backups made before now "
               "(they are sealed under it), then destroy it."
            << std::endl;
  if (r.forged > 0) {
    std::cerr << "candour: " << r.forged
              << " responses failed authentication under the old key (tampered or foreign) and "
                 "were left as they were\n";
    return 2;
  }
  return 0;
}

}  // namespace candour::cli
