// The helpers every subcommand shares (commands.h): the data folder and its key, the
// comments key, the public address, and how a failure is reported.
#include <iostream>

#include "cli/commands.h"
#include "crypto/errc.h"
#include "crypto/key_file.h"
#include "store/data_folder.h"
#include "store/errc.h"
#include "survey/catalog.h"

namespace candour::cli {
namespace {

// A folder in which a database may be made (when nothing says the key has held data).
bool Fresh(store::FolderState state) {
  return state == store::FolderState::kMissing || state == store::FolderState::kEmpty;
}

// Reads the data key, or creates one for a brand-new data folder. Never creates a key for a
// folder that already holds data, nor where the marker says a key here has held data: either
// would silently write under a second key.
boost::system::result<crypto::DataKey> LoadKey(const Options& o, bool may_create,
                                               std::string* error) {
  std::error_code ec;
  const fs::path data = fs::weakly_canonical(o.data, ec);
  const fs::path key = fs::weakly_canonical(o.key_file, ec);
  if (key.string().starts_with(data.string() + "/")) {
    *error = "the key file " + o.key_file.string() + " must be outside the data folder " +
             o.data.string() + " (a copy of the folder must not carry its key)";
    return crypto::Errc::kKeyFileIo;
  }
  auto read = crypto::ReadKeyFile(o.key_file);
  if (read || read.error() != crypto::Errc::kKeyFileMissing) {
    if (!read)
      *error = "cannot use key file " + o.key_file.string() + ": " + read.error().message();
    return read;
  }
  const fs::path marker = HeldDataMarker(o);
  const bool fresh = Fresh(store::InspectFolder(o.data));
  if (!may_create || !fresh || store::HeldDataMarked(marker)) {
    *error = "key file " + o.key_file.string() + " is missing";
    if (!fresh) {
      *error += " but the data folder " + o.data.string() +
                " already holds data: refusing to create a new key. Restore the key file it "
                "was written with.";
    } else if (store::HeldDataMarked(marker)) {
      *error += ", but " + marker.string() +
                " says a key here has held data: refusing to create a new one. Restore the "
                "key file (and the data folder) from your backup.";
    } else {
      *error += " and there is no database in " + o.data.string() +
                " (is --data right?): `candour init` makes both.";
    }
    return read;
  }
  auto created = crypto::CreateKeyFile(o.key_file);
  if (!created) {
    *error = "cannot create key file " + o.key_file.string() + ": " + created.error().message();
  } else {
    std::cout << "Generated a new data key in " << o.key_file.string()
              << " (mode 0600). Back it up and keep it apart from the data: without it the "
                 "responses cannot be read."
              << std::endl;
  }
  return created;
}

}  // namespace

std::string OpenFailure(const Options& o, const boost::system::error_code& ec,
                        const std::string& detail) {
  const std::string dir = o.data.string();
  if (ec == store::Errc::kRotating) {  // Detail is the old and the new key file
    const size_t nl = detail.find('\n');
    const std::string old_file = detail.substr(0, nl);
    const std::string new_file = nl == std::string::npos ? "" : detail.substr(nl + 1);
    return "a key rotation of " + dir + " (from the key in " + old_file + " to the key in " +
           new_file + ") was interrupted. Nothing was opened. Finish it, with the server " +
           "stopped: `candour rotate-key --data " + dir + " --key-file " + old_file +
           " --new-key-file " + new_file + "`; then " + new_file + " is the data key.";
  }
  const std::string found = detail.empty() ? "" : " (" + detail + ")";
  const std::string repair = "candour repair --data " + dir + " --key-file " + o.key_file.string();
  if (ec == store::Errc::kWrongKey) {
    return "the key in " + o.key_file.string() + " does not match the data in " + dir +
           " (its key-check record failed). Use the key it was written with.";
  }
  if (ec == store::Errc::kMissing) {
    return "there is no Candour database in " + dir +
           " (is --data right?). Nothing was created: `candour init` makes a new one, as "
           "does the first `candour serve` of a new folder with a new key.";
  }
  if (ec == store::Errc::kEmptied) {
    return "the data folder " + dir + " is missing or empty, but the key " + o.key_file.string() +
           " has held data" + found +
           ". Refusing to start a new database under it: is the disk mounted, the folder "
           "restored? Put the data back (or restore a backup). To start afresh on purpose, "
           "use a new --key-file.";
  }
  if (ec == store::Errc::kIncomplete) {
    return "the database in " + dir + " is incomplete" + found +
           ". Nothing was changed. If a file such as CURRENT was lost, restore it or the "
           "folder from a backup, or back the folder up and run `" +
           repair +
           "`, which rebuilds it from its other files; if a first start died part-way, "
           "remove the folder and start again.";
  }
  if (ec == store::Errc::kWalDamaged) {
    return "the write-ahead log in " + dir + " is damaged before its end" + found +
           ". Refusing to start: the acknowledged responses in and after the damaged part "
           "would be lost silently. Back the folder up, then run `" +
           repair + "`: it keeps everything readable and reports how many writes were lost.";
  }
  if (ec == store::Errc::kCorrupt) {
    return "the database files in " + dir + " are damaged" + found +
           ". Nothing was changed. Restore the folder from a backup, or back it up and run `" +
           repair + "`.";
  }
  return "cannot open data folder " + dir + ": " + ec.message() + found;
}

int Fail(const std::string& message) {
  std::cerr << "candour: " << message << "\n";
  return 1;
}

fs::path HeldDataMarker(const Options& o) {
  fs::path marker = o.key_file;
  marker += ".held-data";
  return marker;
}

store::StoreOptions StoreOptionsFor(const Options& o, bool may_create) {
  store::StoreOptions options;
  options.dir = o.data;
  options.create = may_create;
  options.held_data_marker = HeldDataMarker(o);
  return options;
}

std::string PublicUrl(const Options& o) {
  return o.public_url.empty() ? "http://" + o.listen : o.public_url;
}

boost::system::result<std::unique_ptr<store::Store>> OpenStore(const Options& o, bool may_create) {
  std::string error;
  auto key = LoadKey(o, may_create, &error);
  if (!key) {
    Fail(error);
    return key.error();
  }
  store::StoreOptions options = StoreOptionsFor(o, may_create);
  if (!o.group_commit) options.commit.max_batch_records = 1;
  std::string detail;
  auto store = store::Store::Open(options, std::move(*key), &detail);
  if (!store) Fail(OpenFailure(o, store.error(), detail));
  return store;
}

std::optional<OpenedSurvey> OpenSurvey(const Options& o) {
  auto store = OpenStore(o, false);
  if (!store) return std::nullopt;
  auto catalog = survey::SurveyCatalog::Load(**store);
  if (!catalog) {
    Fail(catalog.error());
    return std::nullopt;
  }
  auto survey = (*catalog)->Get(o.survey);
  if (!survey) {
    Fail("there is no survey \"" + o.survey + "\"");
    return std::nullopt;
  }
  return OpenedSurvey{std::move(*store), std::move(survey)};
}

std::optional<crypto::BoxPublicKey> CommentsKey(const Options& o) {
  auto read = crypto::ReadBoxPublicKey(o.comments_key);
  if (read) return *read;
  if (read.error() != crypto::Errc::kKeyFileMissing) {
    Fail("cannot use comments key " + o.comments_key.string() + ": " + read.error().message());
    return std::nullopt;
  }
  fs::path secret = o.comments_key;
  secret.replace_extension(".secret");
  if (auto ec = crypto::CreateBoxKeyFiles(o.comments_key, secret)) {
    Fail("cannot create the comments key " + o.comments_key.string() + ": " + ec.message());
    return std::nullopt;
  }
  std::cout << "Free-text answers are sealed to " << o.comments_key.string()
            << "; its secret half is in " << secret.string()
            << ". Move that file off this server: only `candour comments export "
               "--secret-key FILE` needs it, and the server never does."
            << std::endl;
  auto created = crypto::ReadBoxPublicKey(o.comments_key);
  if (!created) Fail("cannot read the new comments key: " + created.error().message());
  return created ? std::optional<crypto::BoxPublicKey>(*created) : std::nullopt;
}

}  // namespace candour::cli
