// Evidence of progress: files (PDF, images, office documents, text) and links, attached to a
// progress update. The files live behind EvidenceFiles, so that where they are kept (a folder
// next to an SQLite database, a folder shared by several app nodes, an object store) is chosen
// at start-up, not derived from the database's address.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "followup/followup.h"

namespace hrtrack::followup {

// Where evidence files are kept, by their SHA-256. Thread-safe: any number of threads (and
// processes) may put and get at once.
class EvidenceFiles {
 public:
  virtual ~EvidenceFiles() = default;
  // Stores `bytes` under `sha256` (their hash) unless already there. When it returns, get()
  // gives the whole file back; after a crash, either the whole file or none is there. Throws
  // Error when it cannot write.
  virtual void put(const std::string& sha256, const std::string& bytes) = 0;
  // The file's bytes, or nullopt when there is none.
  virtual std::optional<std::string> get(const std::string& sha256) = 0;
};

// Files named by their hash in `dir` (created when needed), written to a temporary file of
// their own (mkstemp) and renamed, never under a served folder.
std::unique_ptr<EvidenceFiles> evidence_folder(const std::string& dir);

struct Upload {
  std::string filename, content_type, content;
};
struct EvidenceLimits {
  std::size_t max_bytes = 10 * 1024 * 1024;
};
// Checks the file (size, name, type by name and by its first bytes), stores it in `files` and
// records it. Throws InvalidArgument saying what is wrong.
Evidence attach_file(Store& store, const Principal& p, std::int64_t update_id, const Upload& f,
                     EvidenceFiles& files, const EvidenceLimits& limits = {});
Evidence attach_link(Store& store, const Principal& p, std::int64_t update_id,
                     const std::string& url);
// The evidence, if `p` may see its update (what `p` may not see does not exist for them).
std::optional<Evidence> evidence_for(Store& store, const Principal& p, std::int64_t id);

}  // namespace hrtrack::followup
